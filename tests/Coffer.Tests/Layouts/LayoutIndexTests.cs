using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coffer.Testing;
using Coffer.Tests.Cli;
using Coffer.Tests.Integration;

namespace Coffer.Tests.Layouts;

/// <summary>
/// <c>manifest index create|update --oci-layout</c>: indexes of images pushed into a layout folder,
/// read back by <c>pull --platform</c>, <c>manifest fetch</c> and skopeo.
/// </summary>
public sealed class LayoutIndexTests
{
    private const string IndexType = "application/vnd.oci.image.index.v1+json";

    [Fact]
    public async Task IndexCreateThenUpdate_InAFolder_AndPlatformPicksFromIt()
    {
        using var runner = new CofferRunner();
        var amd64 = await PushImageAsync(runner, "linux-amd64", "amd64", null, "amd64 build\n");
        var arm64 = await PushImageAsync(runner, "linux-arm64", "arm64", "v8", "arm64 build\n");
        runner.WriteFile("notes.txt", "release notes\n"u8.ToArray());
        var note = Field(await runner.RunAsync("push", "--oci-layout", "layout:notes", "notes.txt"), "Digest: ");

        var create = await runner.RunAsync(
            "manifest", "index", "create", "--oci-layout", "layout:v1,latest", "linux-amd64", ":linux-arm64");
        var digest = Field(create, "Digest: ");
        var latest = await runner.RunAsync("resolve", "--oci-layout", "layout:latest");
        var created = await EntriesAsync(runner, "layout:v1");

        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.Equal(
        [
            "Fetching linux-amd64",
            $"Fetched  {amd64} linux-amd64",
            "Fetching :linux-arm64",
            $"Fetched  {arm64} :linux-arm64",
            $"Packed   {digest[7..19]} {IndexType}",
            "Pushed [oci-layout] layout:v1",
            "Tagged latest",
            $"Digest: {digest}",
        ], create.Stdout.TrimEnd('\n').Split('\n'));
        Assert.Equal(digest, latest.Stdout.Trim());
        Assert.Equal([amd64, arm64], created.Select(e => e.Digest));
        Assert.Equal("{\"architecture\":\"amd64\",\"os\":\"linux\"}", created[0].Platform);
        Assert.Equal("{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}", created[1].Platform);

        var update = await runner.RunAsync("manifest", "index", "update", "--oci-layout", "layout:v1",
            "--add", "notes", "--add", $"@{arm64}", "--remove", amd64, "--tag", "v1.1");
        var updated = Field(update, "Digest: ");
        var entries = await EntriesAsync(runner, "layout:v1.1");
        var stillLatest = await runner.RunAsync("resolve", "--oci-layout", "layout:latest");

        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.Contains($"Fetched  {digest} layout:v1\n", update.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Removed  {amd64}\n", update.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Added    {note} notes\n", update.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Skipped  @{arm64}: already in the index\n", update.Stdout, StringComparison.Ordinal);
        Assert.Contains("Pushed [oci-layout] layout:v1\nTagged v1.1\n", update.Stdout, StringComparison.Ordinal);
        Assert.Equal([arm64, note], entries.Select(e => e.Digest));
        Assert.Null(entries[1].Platform);
        Assert.Equal(digest, stillLatest.Stdout.Trim());

        var pullArm = await runner.RunAsync("pull", "--oci-layout", "--platform", "linux/arm64", "layout:v1",
            "-o", "arm");
        var pullAmd = await runner.RunAsync("pull", "--oci-layout", "--platform", "linux/amd64", "layout:v1",
            "-o", "amd");
        var fetch = await runner.RunAsync("manifest", "fetch", "--oci-layout", "--platform", "linux/arm64/v8",
            "layout:latest");

        Assert.True(pullArm.ExitCode == 0, pullArm.ToString());
        Assert.Equal(arm64, Field(pullArm, "Digest: "));
        Assert.Equal("arm64 build\n", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "arm", "tool.txt")));
        Assert.Equal(1, pullAmd.ExitCode);
        Assert.Contains($"the index {updated} has no manifest for linux/amd64", pullAmd.Stderr,
            StringComparison.Ordinal);
        Assert.True(fetch.ExitCode == 0, fetch.ToString());
        Assert.Equal(arm64, Digest(fetch.Stdout));
    }

    [Fact]
    public async Task IndexByDigest_Json_AndOutputFile_InAFolder()
    {
        using var runner = new CofferRunner();
        var amd64 = await PushImageAsync(runner, "linux-amd64", "amd64", null, "amd64\n");
        var arm64 = await PushImageAsync(runner, "linux-arm64", "arm64", null, "arm64\n");

        var create = await runner.RunAsync("manifest", "index", "create", "--oci-layout", "--format", "json",
            "layout:v1", "linux-amd64");
        using var created = JsonDocument.Parse(create.Stdout);
        var digest = created.RootElement.GetProperty("digest").GetString();
        var byDigest = await runner.RunAsync("manifest", "index", "update", "--oci-layout", $"layout@{digest}",
            "--add", "linux-arm64");
        var newDigest = Field(byDigest, "Digest: ");
        var v1 = await runner.RunAsync("resolve", "--oci-layout", "layout:v1");
        var written = await runner.RunAsync("manifest", "index", "create", "--oci-layout", "-o", "index.json",
            "layout", "linux-arm64", $"sha256:{amd64[7..]}");
        var tagsAfter = await runner.RunAsync("repo", "tags", "--oci-layout", "layout");

        Assert.True(create.ExitCode == 0, create.ToString());
        var root = created.RootElement;
        Assert.Equal($"layout@{digest}", root.GetProperty("reference").GetString());
        Assert.True(root.GetProperty("pushed").GetBoolean());
        Assert.Equal(["layout:v1"], root.GetProperty("referenceAsTags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(amd64, Assert.Single(root.GetProperty("manifests").EnumerateArray().ToList())
            .GetProperty("digest").GetString());
        Assert.True(byDigest.ExitCode == 0, byDigest.ToString());
        Assert.Contains($"Pushed [oci-layout] layout@{newDigest}", byDigest.Stdout, StringComparison.Ordinal);
        Assert.Equal([amd64, arm64], (await EntriesAsync(runner, $"layout@{newDigest}")).Select(e => e.Digest));
        Assert.Equal(digest, v1.Stdout.Trim());
        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.DoesNotContain("Pushed", written.Stdout, StringComparison.Ordinal);
        var file = File.ReadAllText(Path.Combine(runner.WorkingDirectory, "index.json"));
        Assert.Equal(Field(written, "Digest: "), Digest(file));
        var missing = await runner.RunAsync("resolve", "--oci-layout", $"layout@{Digest(file)}");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("linux-amd64\nlinux-arm64\nv1\n", tagsAfter.Stdout);
    }

    [Fact]
    public async Task IndexCreate_FromATar_WritesWithOutputOnly()
    {
        using var runner = new CofferRunner();
        var amd64 = await PushImageAsync(runner, "linux-amd64", "amd64", null, "amd64\n");
        await TarFile.CreateFromDirectoryAsync(Path.Combine(runner.WorkingDirectory, "layout"),
            Path.Combine(runner.WorkingDirectory, "layout.tar"), includeBaseDirectory: false);

        var toStdout = await runner.RunAsync("manifest", "index", "create", "--oci-layout", "-o", "-",
            "layout.tar", "linux-amd64");
        var pushed = await runner.RunAsync("manifest", "index", "create", "--oci-layout", "layout.tar:v1",
            "linux-amd64");

        Assert.True(toStdout.ExitCode == 0, toStdout.ToString());
        using var document = JsonDocument.Parse(toStdout.Stdout);
        Assert.Equal(amd64, Assert.Single(document.RootElement.GetProperty("manifests").EnumerateArray().ToList())
            .GetProperty("digest").GetString());
        Assert.Contains("Packed", toStdout.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, pushed.ExitCode);
        Assert.Contains("does not write them", pushed.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("names a path", "create", "./layout:linux-amd64")]
    [InlineData("not a tag or a digest", "create", "sha256:abc")]
    [InlineData("not a tag or a digest", "update", "--add", "bad!tag")]
    [InlineData("--plain-http is for registries", "create", "--plain-http", "linux-amd64")]
    [InlineData("--username is for registries", "update", "--username", "someone", "--add", "linux-amd64")]
    public async Task BadIndexArguments_WithALayout_AreUsageErrors_AndWriteNothing(
        string message, string command, params string[] rest)
    {
        using var runner = new CofferRunner();

        var result = await runner.RunAsync(["manifest", "index", command, "--oci-layout", "layout:v1", .. rest]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(runner.WorkingDirectory, "layout")));
    }

    [Fact]
    public async Task Skopeo_ReadsTheIndexMadeInAFolder_AndPicksThePlatform()
    {
        using var runner = new CofferRunner();
        await PushImageAsync(runner, "linux-amd64", "amd64", null, "amd64\n");
        await PushImageAsync(runner, "linux-arm64", "arm64", "v8", "arm64\n");
        var create = await runner.RunAsync("manifest", "index", "create", "--oci-layout", "layout:v1",
            "linux-amd64", "linux-arm64", "-a", "org.opencontainers.image.version=1.0");
        var fetched = await runner.RunAsync("manifest", "fetch", "--oci-layout", "layout:v1");
        var layout = Path.Combine(runner.WorkingDirectory, "layout");

        var raw = await Tool.RunAsync(ToolCheck.Skopeo, "inspect", "--raw", $"oci:{layout}:v1");
        var arm = await Tool.RunAsync(ToolCheck.Skopeo, "inspect", "--override-os", "linux", "--override-arch",
            "arm64", $"oci:{layout}:v1");

        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.True(raw.ExitCode == 0, raw.Stderr);
        Assert.Equal(fetched.Stdout, raw.Stdout.TrimEnd('\n'));
        Assert.Equal(Field(create, "Digest: "), Digest(raw.Stdout.TrimEnd('\n')));
        using (var document = JsonDocument.Parse(raw.Stdout))
        {
            Assert.Equal(IndexType, document.RootElement.GetProperty("mediaType").GetString());
            Assert.Equal("1.0", document.RootElement.GetProperty("annotations")
                .GetProperty("org.opencontainers.image.version").GetString());
        }

        Assert.True(arm.ExitCode == 0, arm.Stderr);
        using var inspected = JsonDocument.Parse(arm.Stdout);
        Assert.Equal("arm64", inspected.RootElement.GetProperty("Architecture").GetString());
        Assert.Equal(Digest("arm64\n"), Assert.Single(inspected.RootElement.GetProperty("Layers")
            .EnumerateArray()).GetString());
    }

    [Fact]
    public async Task IndexUpdate_AddingTheIndexBeingUpdated_IsRefusedAndNothingIsPushed()
    {
        using var runner = new CofferRunner();
        var amd64 = await PushImageAsync(runner, "linux-amd64", "amd64", null, "amd64\n");
        var create = await runner.RunAsync("manifest", "index", "create", "--oci-layout", "layout:v1", "linux-amd64");
        var digest = Field(create, "Digest: ");
        var index = Path.Combine(runner.WorkingDirectory, "layout", "index.json");
        var before = File.ReadAllText(index);

        var byTag = await runner.RunAsync("manifest", "index", "update", "--oci-layout", "layout:v1", "--add", "v1");
        var byDigest = await runner.RunAsync("manifest", "index", "update", "--oci-layout", "layout:v1",
            "--add", $"@{digest}");

        foreach (var (result, source) in new[] { (byTag, "v1"), (byDigest, $"@{digest}") })
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"--add {source} names the index being updated ({digest})", result.Stderr,
                StringComparison.Ordinal);
            Assert.DoesNotContain("Pushed", result.Stdout, StringComparison.Ordinal);
        }

        Assert.Equal(before, File.ReadAllText(index));
        Assert.Equal([amd64], (await EntriesAsync(runner, "layout:v1")).Select(e => e.Digest));
    }

    // Pushes a linux image into the folder layout; returns the manifest digest.
    private static Task<string> PushImageAsync(
        CofferRunner runner, string tag, string architecture, string? variant, string content) =>
        new PlatformImagePusher(runner, runner.RunAsync, "--oci-layout")
            .PushAsync("layout", tag, "linux", architecture, variant, content);

    // The entries of the index the layout reference names: each digest, with its platform as raw JSON.
    private static async Task<List<(string? Digest, string? Platform)>> EntriesAsync(
        CofferRunner runner, string reference)
    {
        var fetched = await runner.RunAsync("manifest", "fetch", "--oci-layout", reference);
        Assert.True(fetched.ExitCode == 0, fetched.ToString());
        using var document = JsonDocument.Parse(fetched.Stdout);
        return [.. document.RootElement.GetProperty("manifests").EnumerateArray().Select(e => (
            e.GetProperty("digest").GetString(),
            e.TryGetProperty("platform", out var platform) ? platform.GetRawText() : null))];
    }

    private static string Digest(string content) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private static string Field(CliResult result, string prefix) =>
        result.Stdout.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Trim();
}
