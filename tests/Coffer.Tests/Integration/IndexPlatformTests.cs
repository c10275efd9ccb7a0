using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

/// <summary>
/// <c>manifest index create|update</c> and <c>--platform</c> against distribution: images with
/// real image configs, indexes of them, and the platform picked on pull, fetch, fetch-config and
/// attach; skopeo reads the index back.
/// </summary>
public sealed class IndexPlatformTests
{
    private const string IndexType = "application/vnd.oci.image.index.v1+json";

    [Theory]
    [InlineData(RegistryMode.NoAuth)]
    [InlineData(RegistryMode.Basic)]
    public async Task IndexCreate_OfTwoPlatformImages_ThenPlatformPicksTheRightManifestEverywhere(RegistryMode mode)
    {
        await using var registry = await RegistryServer.StartAsync(mode);
        using var runner = new CofferRunner();
        var client = new Client(runner, registry);
        var repository = $"{registry.Host}/multi/tool";
        var amd64 = await client.Images.PushAsync(repository, "linux-amd64", "linux", "amd64", null, "amd64 build\n");
        var arm64 = await client.Images.PushAsync(repository, "linux-arm64", "linux", "arm64", "v8", "arm64 build\n");
        runner.WriteFile("notes.txt", "release notes\n"u8.ToArray());
        var note = Field((await client.RunAsync("push", $"{repository}:notes", "notes.txt")).Stdout, "Digest: ");

        var create = await client.RunAsync(
            "manifest", "index", "create", $"{repository}:v1,latest", "linux-amd64", ":linux-arm64", "notes");
        var digest = Field(create.Stdout, "Digest: ");
        var index = await client.RunAsync("manifest", "fetch", $"{repository}:v1");
        var latest = await client.RunAsync("resolve", $"{repository}:latest");

        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.Equal(
        [
            "Fetching linux-amd64",
            $"Fetched  {amd64} linux-amd64",
            "Fetching :linux-arm64",
            $"Fetched  {arm64} :linux-arm64",
            "Fetching notes",
            $"Fetched  {note} notes",
            $"Packed   {digest[7..19]} {IndexType}",
            $"Pushed [registry] {repository}:v1",
            "Tagged latest",
            $"Digest: {digest}",
        ], Lines(create.Stdout));
        Assert.Equal(digest, Digest(index.Stdout));
        Assert.Equal(digest, latest.Stdout.Trim());
        using (var document = JsonDocument.Parse(index.Stdout))
        {
            var root = document.RootElement;
            Assert.Equal(IndexType, root.GetProperty("mediaType").GetString());
            var entries = root.GetProperty("manifests").EnumerateArray().ToList();
            Assert.Equal([amd64, arm64, note], entries.Select(e => e.GetProperty("digest").GetString()));
            Assert.Equal("{\"architecture\":\"amd64\",\"os\":\"linux\"}",
                entries[0].GetProperty("platform").GetRawText());
            Assert.Equal("{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}",
                entries[1].GetProperty("platform").GetRawText());
            Assert.False(entries[2].TryGetProperty("platform", out _));
            Assert.Equal("application/vnd.unknown.artifact.v1", entries[2].GetProperty("artifactType").GetString());
        }

        var pullArm = await client.RunAsync("pull", "--platform", "linux/arm64", $"{repository}:v1", "-o", "arm");
        var pullAmd = await client.RunAsync("pull", "--platform", "linux/amd64", $"{repository}:v1", "-o", "amd");
        var pullNone = await client.RunAsync("pull", "--platform", "linux/s390x", $"{repository}:v1", "-o", "none");
        var fetch = await client.RunAsync("manifest", "fetch", "--platform", "linux/arm64/v8", $"{repository}:v1");
        var config = await client.RunAsync("manifest", "fetch-config", "--platform", "linux/amd64", $"{repository}:v1");
        var mismatch = await client.RunAsync("pull", "--platform", "linux/amd64", $"{repository}:linux-arm64");
        var artifact = await client.RunAsync("pull", "--platform", "linux/amd64", $"{repository}:notes", "-o", "n");
        var every = await client.RunAsync("pull", $"{repository}:v1", "-o", "every");

        Assert.True(pullArm.ExitCode == 0, pullArm.ToString());
        Assert.Equal("arm64 build\n", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "arm", "tool.txt")));
        Assert.Equal(arm64, Field(pullArm.Stdout, "Digest: "));
        Assert.Single(Directory.GetFiles(Path.Combine(runner.WorkingDirectory, "arm")));
        Assert.True(pullAmd.ExitCode == 0, pullAmd.ToString());
        Assert.Equal("amd64 build\n", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "amd", "tool.txt")));
        Assert.Equal(1, pullNone.ExitCode);
        Assert.Contains($"the index {digest} has no manifest for linux/s390x; it has linux/amd64, linux/arm64/v8",
            pullNone.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(runner.WorkingDirectory, "none")));
        Assert.True(fetch.ExitCode == 0, fetch.ToString());
        Assert.Equal(arm64, Digest(fetch.Stdout));
        Assert.True(config.ExitCode == 0, config.ToString());
        Assert.Contains("\"architecture\":\"amd64\"", config.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, mismatch.ExitCode);
        Assert.Contains($"{arm64} is a single manifest for linux/arm64/v8, not for linux/amd64", mismatch.Stderr,
            StringComparison.Ordinal);
        Assert.True(artifact.ExitCode == 0, artifact.ToString());
        Assert.Contains($"Warning: {note} is a single manifest that states no platform", artifact.Stderr,
            StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(runner.WorkingDirectory, "n", "notes.txt")));

        // Without --platform a pull takes every entry, as before; both images hold a tool.txt.
        Assert.Equal(1, every.ExitCode);
        Assert.Contains("two layers are both titled 'tool.txt'", every.Stderr, StringComparison.Ordinal);
        Assert.Contains("Hint: the index lists several manifests with that file; pick one with --platform",
            every.Stderr, StringComparison.Ordinal);

        runner.WriteFile("sbom.json", "{\"sbom\":\"arm64\"}"u8.ToArray());
        var attach = await client.RunAsync("attach", "--artifact-type", "application/vnd.example.sbom",
            "--platform", "linux/arm64", $"{repository}:v1", "sbom.json");
        var onArm = await client.RunAsync("discover", "--format", "json", $"{repository}@{arm64}");
        var onIndex = await client.RunAsync("discover", "--format", "json", $"{repository}:v1");

        Assert.True(attach.ExitCode == 0, attach.ToString());
        Assert.Contains($"Attached to [registry] {repository}@{arm64}", attach.Stdout, StringComparison.Ordinal);
        Assert.Equal(Field(attach.Stdout, "Digest: "), Assert.Single(Referrers(onArm.Stdout)));
        Assert.Empty(Referrers(onIndex.Stdout));
    }

    [Fact]
    public async Task IndexUpdate_AddsMergesAndRemoves_AndMovesOnlyTheTagItNames()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Basic);
        using var runner = new CofferRunner();
        var client = new Client(runner, registry);
        var repository = $"{registry.Host}/multi/app";
        var amd64 = await client.Images.PushAsync(repository, "linux-amd64", "linux", "amd64", null, "amd64\n");
        var arm64 = await client.Images.PushAsync(repository, "linux-arm64", "linux", "arm64", null, "arm64\n");
        var windows = await client.Images.PushAsync(repository, "windows-amd64", "windows", "amd64", null, "win\n");
        var v1 = Field((await client.RunAsync("manifest", "index", "create", $"{repository}:v1", "linux-amd64"))
            .Stdout, "Digest: ");
        await client.RunAsync("manifest", "index", "create", $"{repository}:win", "windows-amd64");

        var update = await client.RunAsync("manifest", "index", "update", $"{repository}:v1",
            "--add", "linux-arm64", "--merge", "win", "--tag", "v1.1");
        var updated = Field(update.Stdout, "Digest: ");
        var again = await client.RunAsync("manifest", "index", "update", $"{repository}:v1", "--add", "linux-arm64");
        var removed = await client.RunAsync("manifest", "index", "update", $"{repository}:v1", "--remove", amd64);
        var missing = await client.RunAsync("manifest", "index", "update", $"{repository}:v1", "--remove", amd64);
        var byDigest = await client.RunAsync("manifest", "index", "update", $"{repository}@{v1}",
            "--add", "linux-arm64");
        var notIndex = await client.RunAsync("manifest", "index", "update", $"{repository}:linux-amd64",
            "--add", "linux-arm64");
        var toStdout = await client.RunAsync("manifest", "index", "update", "-o", "-", $"{repository}:v1",
            "--add", "linux-amd64");

        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.Contains($"Added    {arm64} linux-arm64", update.Stdout, StringComparison.Ordinal);
        Assert.Contains("Merged   sha256:", update.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Pushed [registry] {repository}:v1\nTagged v1.1\n", update.Stdout, StringComparison.Ordinal);
        Assert.Equal([amd64, arm64, windows], await EntriesAsync(client, $"{repository}:v1.1"));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"Skipped  {arm64} linux-arm64: already in the index", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(updated, Field(again.Stdout, "Digest: "));
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Contains($"Removed  {amd64}", removed.Stdout, StringComparison.Ordinal);
        Assert.Equal([arm64, windows], await EntriesAsync(client, $"{repository}:v1"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"{amd64} is not in the index {repository}:v1", missing.Stderr, StringComparison.Ordinal);
        Assert.True(byDigest.ExitCode == 0, byDigest.ToString());
        var fromDigest = Field(byDigest.Stdout, "Digest: ");
        Assert.Contains($"Pushed [registry] {repository}@{fromDigest}", byDigest.Stdout, StringComparison.Ordinal);
        Assert.Equal([amd64, arm64], await EntriesAsync(client, $"{repository}@{fromDigest}"));
        Assert.Equal(1, notIndex.ExitCode);
        Assert.Contains("not an index", notIndex.Stderr, StringComparison.Ordinal);
        Assert.True(toStdout.ExitCode == 0, toStdout.ToString());
        Assert.Equal(3, JsonDocument.Parse(toStdout.Stdout).RootElement.GetProperty("manifests").GetArrayLength());
        Assert.Equal([arm64, windows], await EntriesAsync(client, $"{repository}:v1"));
        Assert.Equal(updated, (await client.RunAsync("resolve", $"{repository}:v1.1")).Stdout.Trim());
    }

    [Fact]
    public async Task PushImageSpecV1Dot0_IsTakenByTheRegistry_AndPulledBack()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        var client = new Client(runner, registry);
        runner.WriteFile("state.json", "{\"serial\":7}\n"u8.ToArray());
        runner.WriteFile("config.json", "{\"tool\":\"coffer\"}"u8.ToArray());
        var repository = $"{registry.Host}/spec/state";

        var typed = await client.RunAsync("push", "--image-spec", "v1.0",
            "--artifact-type", "application/vnd.acme.state.v1+json", $"{repository}:typed", "state.json");
        var withConfig = await client.RunAsync("push", "--config", "config.json", $"{repository}:config", "state.json");
        var refused = await client.RunAsync("push", "--config", "config.json", "--image-spec", "v1.1",
            $"{repository}:refused", "state.json");
        var manifest = await client.RunAsync("manifest", "fetch", $"{repository}:typed");
        var configManifest = await client.RunAsync("manifest", "fetch", $"{repository}:config");
        var config = await client.RunAsync("manifest", "fetch-config", $"{repository}:config");
        var pull = await client.RunAsync("pull", $"{repository}:typed", "-o", "out");

        Assert.True(typed.ExitCode == 0, typed.ToString());
        Assert.Contains("ArtifactType: application/vnd.acme.state.v1+json", typed.Stdout, StringComparison.Ordinal);
        using (var document = JsonDocument.Parse(manifest.Stdout))
        {
            Assert.False(document.RootElement.TryGetProperty("artifactType", out _));
            Assert.Equal("application/vnd.acme.state.v1+json",
                document.RootElement.GetProperty("config").GetProperty("mediaType").GetString());
        }

        Assert.True(withConfig.ExitCode == 0, withConfig.ToString());
        using (var document = JsonDocument.Parse(configManifest.Stdout))
        {
            Assert.False(document.RootElement.TryGetProperty("artifactType", out _));
            Assert.Equal("application/vnd.unknown.config.v1+json",
                document.RootElement.GetProperty("config").GetProperty("mediaType").GetString());
        }

        Assert.Equal("{\"tool\":\"coffer\"}", config.Stdout);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("needs --artifact-type", refused.Stderr, StringComparison.Ordinal);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal("{\"serial\":7}\n", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out", "state.json")));
    }

    [Fact]
    public async Task Skopeo_ReadsTheIndexCofferMade_AndPicksThePlatformFromIt()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        var client = new Client(runner, registry);
        var repository = $"{registry.Host}/interop/multi";
        await client.Images.PushAsync(repository, "linux-amd64", "linux", "amd64", null, "amd64\n");
        await client.Images.PushAsync(repository, "linux-arm64", "linux", "arm64", "v8", "arm64\n");
        var create = await client.RunAsync("manifest", "index", "create", $"{repository}:v1", "linux-amd64",
            "linux-arm64", "-a", "org.opencontainers.image.version=1.0");
        var fetched = await client.RunAsync("manifest", "fetch", $"{repository}:v1");

        var raw = await Tool.RunAsync(ToolCheck.Skopeo, "inspect", "--raw", "--tls-verify=false",
            $"docker://{repository}:v1");
        var arm = await Tool.RunAsync(ToolCheck.Skopeo, "inspect", "--tls-verify=false", "--override-os", "linux",
            "--override-arch", "arm64", $"docker://{repository}:v1");

        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.True(raw.ExitCode == 0, raw.Stderr);
        Assert.Equal(fetched.Stdout, raw.Stdout.TrimEnd('\n'));
        Assert.Equal(Field(create.Stdout, "Digest: "), Digest(raw.Stdout.TrimEnd('\n')));
        Assert.True(arm.ExitCode == 0, arm.Stderr);
        using var document = JsonDocument.Parse(arm.Stdout);
        Assert.Equal("arm64", document.RootElement.GetProperty("Architecture").GetString());
        Assert.Equal(LayerDigest("arm64\n"), Assert.Single(document.RootElement.GetProperty("Layers")
            .EnumerateArray()).GetString());
    }

    private static async Task<List<string?>> EntriesAsync(Client client, string reference)
    {
        var fetched = await client.RunAsync("manifest", "fetch", reference);
        Assert.True(fetched.ExitCode == 0, fetched.ToString());
        using var document = JsonDocument.Parse(fetched.Stdout);
        return [.. document.RootElement.GetProperty("manifests").EnumerateArray()
            .Select(e => e.GetProperty("digest").GetString())];
    }

    private static List<string?> Referrers(string discoverJson)
    {
        using var document = JsonDocument.Parse(discoverJson);
        return [.. document.RootElement.GetProperty("referrers").EnumerateArray()
            .Select(r => r.GetProperty("digest").GetString())];
    }

    private static string Digest(string content) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    [Fact]
    public async Task Copy_WithPlatform_CopiesOnlyThatPlatformsManifestAndBlobs()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        var client = new Client(runner, registry);
        var repository = $"{registry.Host}/multi/copy";
        var amd64 = await client.Images.PushAsync(repository, "linux-amd64", "linux", "amd64", null, "amd64 only\n");
        var arm64 = await client.Images.PushAsync(repository, "linux-arm64", "linux", "arm64", "v8", "arm64 only\n");
        var create = await client.RunAsync("manifest", "index", "create", $"{repository}:v1", "linux-amd64",
            "linux-arm64");
        Assert.True(create.ExitCode == 0, create.ToString());

        var copy = await runner.RunAsync("copy", "--from-plain-http", "--platform", "linux/arm64",
            $"{repository}:v1", "--to-oci-layout", "layout:arm");
        var resolved = await runner.RunAsync("resolve", "--oci-layout", "layout:arm");
        var missing = await runner.RunAsync("copy", "--from-plain-http", "--platform", "linux/s390x",
            $"{repository}:v1", "--to-oci-layout", "other:s390x");

        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Equal(arm64, resolved.Stdout.Trim());
        var blobs = Directory.GetFiles(Path.Combine(runner.WorkingDirectory, "layout", "blobs", "sha256"))
            .Select(f => "sha256:" + Path.GetFileName(f)).ToList();
        Assert.Contains(LayerDigest("arm64 only\n"), blobs);
        Assert.DoesNotContain(LayerDigest("amd64 only\n"), blobs);
        Assert.DoesNotContain(amd64, blobs);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("linux/amd64", missing.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(runner.WorkingDirectory, "other", "index.json")),
            "a copy that found no platform wrote a layout anyway");
    }

    [Fact]
    public async Task ResolveAndDiscover_WithPlatform_NameThePlatformsManifest()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        var client = new Client(runner, registry);
        var repository = $"{registry.Host}/multi/lookup";
        await client.Images.PushAsync(repository, "linux-amd64", "linux", "amd64", null, "amd64 lookup\n");
        var arm64 = await client.Images.PushAsync(repository, "linux-arm64", "linux", "arm64", null, "arm64 lookup\n");
        Assert.Equal(0, (await client.RunAsync("manifest", "index", "create", $"{repository}:v1", "linux-amd64",
            "linux-arm64")).ExitCode);
        runner.WriteFile("sbom.json", "{}"u8.ToArray());
        var attach = await client.RunAsync("attach", "--platform", "linux/arm64", "--artifact-type",
            "application/vnd.example.sbom", $"{repository}:v1", "sbom.json");
        Assert.True(attach.ExitCode == 0, attach.ToString());

        var resolved = await client.RunAsync("resolve", "--platform", "linux/arm64", $"{repository}:v1");
        var ofPlatform = await client.RunAsync("discover", "--platform", "linux/arm64", "--format", "json",
            $"{repository}:v1");
        var ofIndex = await client.RunAsync("discover", "--format", "json", $"{repository}:v1");
        var none = await client.RunAsync("resolve", "--platform", "linux/ppc64le", $"{repository}:v1");

        Assert.True(resolved.ExitCode == 0, resolved.ToString());
        Assert.Equal(arm64, resolved.Stdout.Trim());
        using (var document = JsonDocument.Parse(ofPlatform.Stdout))
        {
            Assert.Equal(arm64, document.RootElement.GetProperty("digest").GetString());
            var referrer = Assert.Single(document.RootElement.GetProperty("referrers").EnumerateArray());
            Assert.Equal("application/vnd.example.sbom", referrer.GetProperty("artifactType").GetString());
        }

        using (var document = JsonDocument.Parse(ofIndex.Stdout))
        {
            Assert.Empty(document.RootElement.GetProperty("referrers").EnumerateArray());
        }

        Assert.Equal(1, none.ExitCode);
        Assert.Contains("linux/arm64", none.Stderr, StringComparison.Ordinal);
    }

    private static string LayerDigest(string content) => Digest(content);

    private static string Field(string output, string prefix) =>
        output.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Trim();

    private static string[] Lines(string output) => output.TrimEnd('\n').Split('\n');

    // Runs coffer against one test registry, with its transport and credential flags.
    private sealed class Client(CofferRunner runner, RegistryServer registry)
    {
        public Task<CliResult> RunAsync(params string[] args) =>
            runner.PipeAsync(RegistryArguments.Stdin(registry), [.. args, .. RegistryArguments.For(registry)]);

        /// <summary>Pushes images into the registry with this client's flags.</summary>
        public PlatformImagePusher Images => new(runner, RunAsync);
    }
}
