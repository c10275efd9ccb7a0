using System.Security.Cryptography;
using System.Text.Json;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

/// <summary><c>coffer manifest ...</c> and <c>coffer blob ...</c> against distribution.</summary>
public sealed class ManifestBlobCommandTests
{
    [Theory]
    [InlineData(RegistryMode.NoAuth)]
    [InlineData(RegistryMode.Basic)]
    public async Task ManifestFetchPushDelete_RoundTripTheExactBytes(RegistryMode mode)
    {
        await using var registry = await RegistryServer.StartAsync(mode);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var args = RegistryArguments.For(registry);
        var stdin = RegistryArguments.Stdin(registry);
        var repository = $"{registry.Host}/mf/art";
        var push = await runner.PipeAsync(stdin, ["push", .. args, $"{repository}:v1", "a.txt"]);
        var digest = Field(push.Stdout, "Digest: ");

        var fetched = await runner.PipeAsync(stdin, ["manifest", "fetch", .. args, $"{repository}:v1", "-o", "m.json"]);
        var bytes = File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "m.json"));
        var descriptor = await runner.PipeAsync(
            stdin, ["manifest", "fetch", .. args, "--descriptor", $"{repository}:v1"]);
        var config = await runner.PipeAsync(stdin, ["manifest", "fetch-config", .. args, $"{repository}@{digest}"]);
        var copy = await runner.PipeAsync(stdin, ["manifest", "push", .. args, $"{repository}:copy,again", "m.json"]);
        var refused = await runner.PipeAsync(stdin, ["manifest", "delete", .. args, $"{repository}:copy"]);
        var deleted = await runner.PipeAsync(stdin, ["manifest", "delete", .. args, "-f", $"{repository}:copy"]);
        var gone = await runner.PipeAsync(stdin, ["resolve", .. args, $"{repository}:v1"]);
        var missing = await runner.PipeAsync(stdin, ["manifest", "rm", .. args, "--force", $"{repository}@{digest}"]);
        var missingUnforced = await runner.PipeAsync(stdin, ["manifest", "fetch", .. args, $"{repository}:v1"]);

        Assert.True(fetched.ExitCode == 0, fetched.ToString());
        Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)));
        using (var parsed = JsonDocument.Parse(descriptor.Stdout))
        {
            Assert.Equal(digest, parsed.RootElement.GetProperty("digest").GetString());
            Assert.Equal(bytes.Length, parsed.RootElement.GetProperty("size").GetInt64());
            Assert.Equal("application/vnd.oci.image.manifest.v1+json",
                parsed.RootElement.GetProperty("mediaType").GetString());
        }

        Assert.Equal("{}", config.Stdout);
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Contains($"Pushed [registry] {repository}:copy", copy.Stdout, StringComparison.Ordinal);
        Assert.Contains("Tagged again", copy.Stdout, StringComparison.Ordinal);
        Assert.Equal(digest, Field(copy.Stdout, "Digest: "));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("-f/--force", refused.Stderr, StringComparison.Ordinal);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Contains($"Deleted [registry] {repository}@{digest}", deleted.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, gone.ExitCode);
        Assert.True(missing.ExitCode == 0, missing.ToString());
        Assert.Equal($"Missing {repository}@{digest}", missing.Stdout.Trim());
        Assert.Equal(1, missingUnforced.ExitCode);
    }

    [Fact]
    public async Task ManifestPush_WithoutMediaType_NeedsTheFlag()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var repository = $"{registry.Host}/mt/art";
        await runner.RunAsync("push", "--plain-http", $"{repository}:v1", "a.txt");
        var manifest = await runner.RunAsync("manifest", "fetch", "--plain-http", $"{repository}:v1");
        using var document = JsonDocument.Parse(manifest.Stdout);
        var withoutType = new Dictionary<string, JsonElement>();
        foreach (var property in document.RootElement.EnumerateObject().Where(p => p.Name != "mediaType"))
        {
            withoutType[property.Name] = property.Value;
        }

        var text = "{" + string.Join(",", withoutType.Select(p => $"\"{p.Key}\":{p.Value.GetRawText()}")) + "}";

        var refused = await runner.PipeAsync(text, "manifest", "push", "--plain-http", $"{repository}:bare", "-");
        var pushed = await runner.PipeAsync(text,
            "manifest", "push", "--plain-http", "--media-type", "application/vnd.oci.image.manifest.v1+json",
            "--descriptor", $"{repository}:bare", "-");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--media-type", refused.Stderr, StringComparison.Ordinal);
        Assert.True(pushed.ExitCode == 0, pushed.ToString());
        using var descriptor = JsonDocument.Parse(pushed.Stdout);
        Assert.Equal(text.Length, descriptor.RootElement.GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task ManifestFetch_FormatJsonAndPretty_KeepMediaTypesReadable()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var reference = $"{registry.Host}/fj/art:v1";
        await runner.RunAsync("push", "--plain-http", reference, "a.txt");

        var json = await runner.RunAsync("manifest", "fetch", "--plain-http", "--format", "json", reference);
        var pretty = await runner.RunAsync("manifest", "fetch", "--plain-http", "--pretty", reference);

        using var document = JsonDocument.Parse(json.Stdout);
        var root = document.RootElement;
        Assert.Equal(
            ["schemaVersion", "reference", "mediaType", "digest", "size", "annotations", "content"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(2, root.GetProperty("content").GetProperty("schemaVersion").GetInt32());
        Assert.StartsWith($"{registry.Host}/fj/art@sha256:", root.GetProperty("reference").GetString(),
            StringComparison.Ordinal);
        Assert.Contains("\n  \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\"", pretty.Stdout,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlobPushFetchDelete_RoundTripAndVerify()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        var content = "blob content\n"u8.ToArray();
        runner.WriteFile("b.bin", content);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        var repository = $"{registry.Host}/bl/art";

        var push = await runner.RunAsync("blob", "push", "--plain-http", repository, "b.bin");
        var again = await runner.RunAsync(
            "blob", "push", "--plain-http", "--descriptor", "--media-type", "text/plain", repository, "b.bin");
        var wrong = await runner.RunAsync("blob", "push", "--plain-http", $"{repository}@sha256:{new string('0', 64)}",
            "b.bin");
        var toFile = await runner.RunAsync("blob", "fetch", "--plain-http", "-o", "out.bin", $"{repository}@{digest}");
        var toStdout = await runner.RunAsync("blob", "get", "--plain-http", "-o", "-", $"{repository}@{digest}");
        var described = await runner.RunAsync(
            "blob", "fetch", "--plain-http", "--descriptor", $"{repository}@{digest}");
        var neither = await runner.RunAsync("blob", "fetch", "--plain-http", $"{repository}@{digest}");
        var unforced = await runner.RunAsync("blob", "delete", "--plain-http", $"{repository}@{digest}");
        var deleted = await runner.RunAsync("blob", "delete", "--plain-http", "-f", $"{repository}@{digest}");
        var missing = await runner.RunAsync("blob", "rm", "--plain-http", "-f", $"{repository}@{digest}");
        var fetchMissing = await runner.RunAsync(
            "blob", "fetch", "--plain-http", "-o", "late.bin", $"{repository}@{digest}");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains($"Pushed [registry] {repository}@{digest}", push.Stdout, StringComparison.Ordinal);
        using (var descriptor = JsonDocument.Parse(again.Stdout))
        {
            Assert.Equal("text/plain", descriptor.RootElement.GetProperty("mediaType").GetString());
            Assert.Equal(digest, descriptor.RootElement.GetProperty("digest").GetString());
        }

        Assert.Equal(2, wrong.ExitCode);
        Assert.True(toFile.ExitCode == 0, toFile.ToString());
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "out.bin")));
        Assert.Equal("blob content\n", toStdout.Stdout);
        Assert.Equal(content.Length, JsonDocument.Parse(described.Stdout).RootElement.GetProperty("size").GetInt64());
        Assert.Equal(2, neither.ExitCode);
        Assert.Equal(2, unforced.ExitCode);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.True(missing.ExitCode == 0, missing.ToString());
        Assert.Equal($"Missing {repository}@{digest}", missing.Stdout.Trim());
        Assert.Equal(1, fetchMissing.ExitCode);
        Assert.Equal(
            ["b.bin", "out.bin"], Directory.GetFiles(runner.WorkingDirectory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task BlobFetchToStdout_InARealProcess_WritesTheBytesUnchanged()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        var content = "line one\nline two\n"u8.ToArray();
        runner.WriteFile("b.bin", content);
        var repository = $"{registry.Host}/bp/art";
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        await runner.RunAsync("blob", "push", "--plain-http", repository, "b.bin");

        var fetch = await runner.RunProcessAsync(
            "", "blob", "fetch", "--plain-http", "-o", "-", $"{repository}@{digest}");

        Assert.True(fetch.ExitCode == 0, fetch.ToString());
        Assert.Equal("line one\nline two\n", fetch.Stdout);
        Assert.Empty(Directory.GetFiles(runner.TempDirectory));
    }

    private static string Field(string output, string prefix) =>
        output.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Trim();
}
