using System.Text.Json.Nodes;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Layouts;

/// <summary>
/// Layouts made by hand to mislead: an <c>index.json</c> that lies about an entry, special files
/// where files belong, content that does not match. Each must fail with a message about the
/// layout, write nothing, and never hang.
/// </summary>
public sealed class HostileLayoutTests
{
    [Fact]
    public async Task EntryWhoseMediaTypeContradictsTheManifest_IsRefused()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "genuine"u8.ToArray());
        await runner.RunAsync("push", "--oci-layout", "layout:v1", "a.txt");
        EditIndex(runner, entry => entry["mediaType"] = "application/vnd.oci.image.index.v1+json");

        var pull = await runner.RunAsync("pull", "--oci-layout", "layout:v1", "-o", "out");
        var copy = await runner.RunAsync("cp", "--from-oci-layout", "--to-oci-layout", "layout:v1", "copy:v1");

        Assert.Equal(3, pull.ExitCode);
        Assert.Contains("application/vnd.oci.image.index.v1+json", pull.Stderr, StringComparison.Ordinal);
        Assert.Contains("application/vnd.oci.image.manifest.v1+json", pull.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Pulled", pull.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(runner.WorkingDirectory, "out", "a.txt")));
        Assert.Equal(3, copy.ExitCode);
        Assert.False(File.Exists(Path.Combine(runner.WorkingDirectory, "copy", "index.json")));
    }

    [Fact]
    public async Task TagOnAnEntryWithABadDigest_SaysSo_RatherThanThatTheTagIsMissing()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "genuine"u8.ToArray());
        await runner.RunAsync("push", "--oci-layout", "layout:v1", "a.txt");
        EditIndex(runner, entry => entry["digest"] = "sha256:not-hex");

        var pull = await runner.RunAsync("pull", "--oci-layout", "layout:v1", "-o", "out");

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("index.json lists a bad digest", pull.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("has no tag", pull.Stderr, StringComparison.Ordinal);
    }

    // Rewrites the first entry of the layout's index.json.
    private static void EditIndex(CofferRunner runner, Action<JsonObject> edit)
    {
        var path = Path.Combine(runner.WorkingDirectory, "layout", "index.json");
        var index = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(index["manifests"]![0]!.AsObject());
        File.WriteAllText(path, index.ToJsonString());
    }
}
