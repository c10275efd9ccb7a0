using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Faults;

/// <summary>
/// Names that come from an artifact (layer titles, a layout's tags, artifact types) may hold
/// terminal escapes and line breaks. Printed as they are, they could clear the screen, rewrite
/// earlier lines or forge a status line; text output shows them with <c>?</c> in their place.
/// </summary>
public sealed class ControlCharacterTests
{
    private const string Escape = "\u001b";

    [Fact]
    public async Task TitlesTagsAndArtifactTypes_AreShownWithoutTheirControlCharacters()
    {
        using var runner = new CofferRunner();
        var layout = Path.Combine(runner.WorkingDirectory, "layout");
        var subject = WriteArtifact(layout, "evil\u001b[2Jname\nForged line", null, null);
        var referrer = WriteArtifact(layout, "note.txt", "application/vnd.example\u001b[8m", subject);
        WriteIndex(layout, (subject, "ok\u001b[31mred"), (referrer, null));

        var pull = await runner.RunAsync("pull", "--oci-layout", "--progress", "plain", $"layout@{subject.Digest}",
            "-o", "out");
        var tags = await runner.RunAsync("repo", "tags", "--oci-layout", "layout");
        var tree = await runner.RunAsync("discover", "--oci-layout", $"layout@{subject.Digest}");
        var table = await runner.RunAsync("discover", "--oci-layout", "--format", "table", $"layout@{subject.Digest}");

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains("evil?[2Jname?Forged line", pull.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(runner.WorkingDirectory, "out", "evil\u001b[2Jname\nForged line")));
        Assert.Equal("ok?[31mred\n", tags.Stdout);
        Assert.Contains("application/vnd.example?[8m", tree.Stdout, StringComparison.Ordinal);
        Assert.Contains("application/vnd.example?[8m", table.Stdout, StringComparison.Ordinal);
        foreach (var result in new[] { pull, tags, tree, table })
        {
            Assert.DoesNotContain(Escape, result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ARefusedTitle_IsQuotedInTheErrorWithoutItsControlCharacters()
    {
        using var runner = new CofferRunner();
        var layout = Path.Combine(runner.WorkingDirectory, "layout");
        var artifact = WriteArtifact(layout, "../\u001b[2J\rError: all is fine", null, null);
        WriteIndex(layout, (artifact, "v1"));

        var pull = await runner.RunAsync("pull", "--oci-layout", "layout:v1", "-o", "out");

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("'../?[2J?Error: all is fine'", pull.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Escape, pull.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", pull.Output, StringComparison.Ordinal);
    }

    // Writes a one-layer artifact (and the empty config) into the layout's blobs; returns its manifest.
    private static (string Digest, int Size) WriteArtifact(
        string layout, string title, string? artifactType, (string Digest, int Size)? subject)
    {
        var config = WriteBlob(layout, "{}"u8.ToArray());
        var layer = WriteBlob(layout, Encoding.UTF8.GetBytes(title.Length.ToString(
            System.Globalization.CultureInfo.InvariantCulture)));
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["artifactType"] = artifactType ?? "application/vnd.example",
            ["config"] = Descriptor("application/vnd.oci.empty.v1+json", config),
            ["layers"] = new JsonArray(Descriptor("application/octet-stream", layer, title)),
        };
        if (subject is { } s)
        {
            manifest["subject"] = Descriptor("application/vnd.oci.image.manifest.v1+json", s);
        }

        return WriteBlob(layout, Encoding.UTF8.GetBytes(manifest.ToJsonString()));
    }

    private static void WriteIndex(string layout, params ((string Digest, int Size) Manifest, string? Tag)[] entries)
    {
        var manifests = new JsonArray();
        foreach (var (manifest, tag) in entries)
        {
            var entry = Descriptor("application/vnd.oci.image.manifest.v1+json", manifest);
            if (tag is not null)
            {
                entry["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag };
            }

            manifests.Add(entry);
        }

        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = manifests,
        };
        File.WriteAllText(Path.Combine(layout, "index.json"), index.ToJsonString());
        File.WriteAllText(Path.Combine(layout, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    private static (string Digest, int Size) WriteBlob(string layout, byte[] content)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(content));
        var folder = Directory.CreateDirectory(Path.Combine(layout, "blobs", "sha256")).FullName;
        File.WriteAllBytes(Path.Combine(folder, hex), content);
        return ($"sha256:{hex}", content.Length);
    }

    private static JsonObject Descriptor(string mediaType, (string Digest, int Size) blob, string? title = null)
    {
        var descriptor = new JsonObject { ["mediaType"] = mediaType, ["digest"] = blob.Digest, ["size"] = blob.Size };
        if (title is not null)
        {
            descriptor["annotations"] = new JsonObject { ["org.opencontainers.image.title"] = title };
        }

        return descriptor;
    }
}
