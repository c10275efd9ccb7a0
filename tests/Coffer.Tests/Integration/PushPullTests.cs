using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

/// <summary>The main job, push then pull, against the real registry in every auth mode.</summary>
public sealed class PushPullTests
{
    public static TheoryData<RegistryMode> Modes =>
        [RegistryMode.NoAuth, RegistryMode.Basic, RegistryMode.Tls, RegistryMode.Token];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task PushThenPull_AnyAuthMode_FilesComeBackByteForByte(RegistryMode mode)
    {
        await using var registry = await RegistryServer.StartAsync(mode);
        using var runner = new CofferRunner();
        var state = RandomNumberGenerator.GetBytes(60_000);
        var notes = "release notes\n"u8.ToArray();
        runner.WriteFile("state.json", state);
        runner.WriteFile("docs/notes.txt", notes);
        var reference = $"{registry.Host}/ci/state:latest";

        var push = await runner.PipeAsync(RegistryArguments.Stdin(registry),
            ["push", .. RegistryArguments.For(registry), reference, "state.json", "docs/notes.txt:text/plain"]);

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains($"Pushed [registry] {reference}", push.Stdout, StringComparison.Ordinal);
        Assert.Contains("ArtifactType: application/vnd.unknown.artifact.v1", push.Stdout, StringComparison.Ordinal);
        var digest = push.Stdout.Split('\n')
            .Single(l => l.StartsWith("Digest: ", StringComparison.Ordinal))[8..]
            .Trim();

        var pull = await runner.PipeAsync(RegistryArguments.Stdin(registry),
            ["pull", .. RegistryArguments.For(registry), reference, "-o", "out"]);

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains($"Digest: {digest}", pull.Stdout, StringComparison.Ordinal);
        Assert.Equal(state, File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "out", "state.json")));
        Assert.Equal(notes, File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "out", "docs", "notes.txt")));
        Assert.Empty(Directory.GetFiles(Path.Combine(runner.WorkingDirectory, "out"), "*.partial",
            SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Push_Default_ManifestHasTheOrasShape()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("a.bin", [1, 2, 3]);

        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/shape/art:v1", "a.bin",
            "-a", "team=ci", "--export-manifest", "manifest.json");

        Assert.True(push.ExitCode == 0, push.ToString());
        var exported = File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "manifest.json"));
        var served = await FetchManifestAsync(registry, "shape/art", "v1");
        Assert.Equal(exported, served);
        using var manifest = JsonDocument.Parse(served);
        var root = manifest.RootElement;
        Assert.Equal(2, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", root.GetProperty("mediaType").GetString());
        Assert.Equal("application/vnd.unknown.artifact.v1", root.GetProperty("artifactType").GetString());
        var config = root.GetProperty("config");
        Assert.Equal("application/vnd.oci.empty.v1+json", config.GetProperty("mediaType").GetString());
        Assert.Equal("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
            config.GetProperty("digest").GetString());
        var layer = Assert.Single(root.GetProperty("layers").EnumerateArray().ToList());
        Assert.Equal("application/vnd.oci.image.layer.v1.tar", layer.GetProperty("mediaType").GetString());
        Assert.Equal(
            "a.bin",
            layer.GetProperty("annotations").GetProperty("org.opencontainers.image.title").GetString());
        Assert.Equal(3, layer.GetProperty("size").GetInt64());
        var annotations = root.GetProperty("annotations");
        Assert.Equal("ci", annotations.GetProperty("team").GetString());
        Assert.True(DateTimeOffset.TryParse(annotations.GetProperty("org.opencontainers.image.created").GetString(),
            System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    [Fact]
    public async Task Push_SourceDateEpoch_SameFilesGiveTheSameDigest()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "same"u8.ToArray());
        runner.Environment["SOURCE_DATE_EPOCH"] = "1700000000";

        var first = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/repro/art:one", "a.txt");
        var second = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/repro/art:two", "a.txt");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(DigestLine(first), DigestLine(second));
        var manifest = await FetchManifestAsync(registry, "repro/art", "one");
        Assert.Contains("\"org.opencontainers.image.created\":\"2023-11-14T22:13:20Z\"",
            System.Text.Encoding.UTF8.GetString(manifest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_ExtraTags_EveryTagResolvesToTheManifest()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "x"u8.ToArray());

        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/tags/art:v1,v1.0,latest", "a.txt");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains("Tagged v1.0", push.Stdout, StringComparison.Ordinal);
        Assert.Contains("Tagged latest", push.Stdout, StringComparison.Ordinal);
        var v1 = await FetchManifestAsync(registry, "tags/art", "v1");
        Assert.Equal(v1, await FetchManifestAsync(registry, "tags/art", "v1.0"));
        Assert.Equal(v1, await FetchManifestAsync(registry, "tags/art", "latest"));
    }

    [Fact]
    public async Task Push_ExportManifestWhereNothingCanBeWritten_FailsBeforeTheTagMoves()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("state.json", "{\"n\":1}"u8.ToArray());
        var reference = $"{registry.Host}/export/state:latest";
        var first = await runner.RunAsync("push", "--plain-http", reference, "state.json");
        Assert.True(first.ExitCode == 0, first.ToString());
        var before = await FetchManifestAsync(registry, "export/state", "latest");
        runner.WriteFile("state.json", "{\"n\":2}"u8.ToArray());

        // /proc/self is a folder in which no one, root included, can create a file.
        var push = await runner.RunAsync("push", "--plain-http", reference, "state.json",
            "--export-manifest", "/proc/self/manifest.json");

        Assert.Equal(1, push.ExitCode);
        Assert.Contains("--export-manifest /proc/self/manifest.json: cannot write there", push.Stderr,
            StringComparison.Ordinal);
        Assert.Contains("nothing was pushed", push.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await FetchManifestAsync(registry, "export/state", "latest"));
    }

    [Theory]
    [InlineData("../evil.txt", "climbs out of the output folder")]
    [InlineData("/tmp/evil.txt", "absolute path")]
    [InlineData(".", "names the output folder itself")]
    [InlineData("b.txt", "both be titled 'b.txt'")]
    public async Task Push_AnnotationFileTitleAPullWouldRefuse_IsRefusedBeforeAnyUpload(string title, string why)
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        runner.WriteFile("b.txt", "b"u8.ToArray());
        runner.WriteFile("annotations.json", JsonSerializer.SerializeToUtf8Bytes(
            new Dictionary<string, Dictionary<string, string>>
            {
                ["a.txt"] = new() { ["org.opencontainers.image.title"] = title },
            }));
        await registry.FlushRequestLogAsync();
        registry.ClearRequestLog();

        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/titles/art:v1", "a.txt", "b.txt",
            "--annotation-file", "annotations.json");
        var log = await registry.FlushRequestLogAsync();

        Assert.Equal(2, push.ExitCode);
        Assert.Contains(why, push.Stderr, StringComparison.Ordinal);
        Assert.Empty(log);
    }

    [Fact]
    public async Task Pull_IntoAFolderThatCannotBeMade_SaysWhatToCheck()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("state.json", "{}"u8.ToArray());
        var reference = $"{registry.Host}/local/state:v1";
        var push = await runner.RunAsync("push", "--plain-http", reference, "state.json");
        Assert.True(push.ExitCode == 0, push.ToString());

        // /proc/self is a folder in which no one, root included, can create anything.
        var pull = await runner.RunAsync("pull", "--plain-http", reference, "-o", "/proc/self/out");

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("/proc/self/out", pull.Stderr, StringComparison.Ordinal);
        Assert.Contains("Hint: a local file or folder could not be read or written; check that path, its permissions",
            pull.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushAndPull_SmallStateFile_MakeNoMoreRequestsThanTheProtocolNeeds()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("state.json", RandomNumberGenerator.GetBytes(60_000));
        var reference = $"{registry.Host}/count/state:latest";
        await registry.FlushRequestLogAsync();
        registry.ClearRequestLog();

        var push = await runner.RunAsync("push", "--plain-http", reference, "state.json");
        var pushed = await registry.FlushRequestLogAsync();
        registry.ClearRequestLog();
        var again = await runner.RunAsync("push", "--plain-http", reference, "state.json");
        var repushed = await registry.FlushRequestLogAsync();
        registry.ClearRequestLog();
        runner.WriteFile("state.json", RandomNumberGenerator.GetBytes(60_000));
        var changed = await runner.RunAsync("push", "--plain-http", reference, "state.json");
        var changedLog = await registry.FlushRequestLogAsync();
        registry.ClearRequestLog();
        var pull = await runner.RunAsync("pull", "--plain-http", reference, "-o", "out");
        var pulled = await registry.FlushRequestLogAsync();

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.True(changed.ExitCode == 0, changed.ToString());
        Assert.True(pull.ExitCode == 0, pull.ToString());

        // For each blob a mount query that opens the upload session, then the PUT with the body;
        // then the manifest PUT.
        Assert.Equal(5, pushed.Count);
        Assert.Equal(2, pushed.Count(r => r.Method == "POST" && r.Path.Contains("mount=", StringComparison.Ordinal)));

        // Again: both blobs are found by their mount query and nothing is uploaded.
        Assert.Equal(3, repushed.Count);
        Assert.DoesNotContain(repushed, r => r.Method == "PUT" && r.Path.Contains("/blobs/", StringComparison.Ordinal));

        // A changed state file: the config is found, the new file uploaded.
        Assert.Equal(4, changedLog.Count);
        Assert.Equal(2, pulled.Count);
    }

    [Fact]
    public async Task Push_FilesWithTheSameBytes_UploadEachBlobOnce()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        var same = RandomNumberGenerator.GetBytes(30_000);
        runner.WriteFile("a.bin", same);
        runner.WriteFile("b.bin", same);

        // "{}" is also the empty config's bytes.
        runner.WriteFile("empty.json", "{}"u8.ToArray());
        var reference = $"{registry.Host}/same/bytes:v1";
        await registry.FlushRequestLogAsync();
        registry.ClearRequestLog();

        var push = await runner.RunAsync("push", "--plain-http", reference, "a.bin", "b.bin", "empty.json");
        var log = await registry.FlushRequestLogAsync();
        var pull = await runner.RunAsync("pull", "--plain-http", reference, "-o", "out");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(pull.ExitCode == 0, pull.ToString());

        // Two distinct blobs: a mount query and a PUT each, then the manifest.
        Assert.Equal(5, log.Count);
        Assert.Equal(2,
            log.Count(r => r.Method == "PUT" && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal)));
        Assert.Equal(same, File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "out", "a.bin")));
        Assert.Equal(same, File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "out", "b.bin")));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out", "empty.json")));
    }

    [Fact]
    public async Task Push_WithBasicAuth_AddsOneChallengeToTheFiveRequests()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Basic);
        using var runner = new CofferRunner();
        runner.WriteFile("state.json", RandomNumberGenerator.GetBytes(60_000));
        await registry.FlushRequestLogAsync();
        registry.ClearRequestLog();

        var push = await runner.PipeAsync(registry.Password, "push", "--plain-http", "-u", registry.Username,
            "--password-stdin", $"{registry.Host}/count/basic:v1", "state.json");
        var log = await registry.FlushRequestLogAsync();

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Equal(6, log.Count);
        Assert.Single(log, r => r.Status == 401);
    }

    [Fact]
    public async Task Pull_OfAnAlteredBlob_LeavesNoFolderItMade()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        var content = "{\"state\":1}"u8.ToArray();
        runner.WriteFile("deep/er/state.json", content);
        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/app/state:v1",
            "deep/er/state.json");
        Assert.True(push.ExitCode == 0, push.ToString());
        var hex = Convert.ToHexStringLower(SHA256.HashData(content));
        // The registry serves what its storage holds; the same size with other bytes is a forgery.
        File.WriteAllText(Path.Combine(registry.StorageDirectory, "docker", "registry", "v2", "blobs", "sha256",
            hex[..2], hex, "data"), "{\"state\":9}");
        Directory.CreateDirectory(Path.Combine(runner.WorkingDirectory, "existing"));

        var fresh = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/app/state:v1", "-o", "fresh/out");
        var existing = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/app/state:v1", "-o",
            "existing");

        Assert.Equal(3, fresh.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(runner.WorkingDirectory, "fresh")));
        Assert.Equal(3, existing.ExitCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(runner.WorkingDirectory, "existing")));
    }

    [Fact]
    public async Task Pull_UnknownTag_FailsWithTheRegistryCodeAndAHint()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/none/art:missing", "-o", "out");

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains(
            $"pull {registry.Host}/none/art:missing: "
            + $"GET http://{registry.Host}/v2/none/art/manifests/missing: 404",
            pull.Stderr,
            StringComparison.Ordinal);
        Assert.Contains("MANIFEST_UNKNOWN", pull.Stderr, StringComparison.Ordinal);
        Assert.Contains("Hint: check the repository name and the tag", pull.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(runner.WorkingDirectory, "out"))
            && Directory.EnumerateFileSystemEntries(Path.Combine(runner.WorkingDirectory, "out")).Any());
    }

    [Fact]
    public async Task Push_WrongPassword_FailsWithAnAuthHintAndNoSecret()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Basic);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "x"u8.ToArray());

        var push = await runner.PipeAsync("wrong-password-1234\n",
            "push", "--plain-http", "-u", registry.Username, "--password-stdin",
            $"{registry.Host}/auth/art:v1", "a.txt");

        Assert.Equal(1, push.ExitCode);
        Assert.Contains("401", push.Stderr, StringComparison.Ordinal);
        Assert.Contains("Hint: the registry refused the credential", push.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-1234", push.Output, StringComparison.Ordinal);
    }

    internal static async Task<byte[]> FetchManifestAsync(RegistryServer registry, string repository, string reference)
    {
        using var http = new HttpClient(registry.CreateHttpHandler());
        using var request = new HttpRequestMessage(
            HttpMethod.Get,
            new Uri(registry.BaseUri, $"/v2/{repository}/manifests/{reference}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        if (registry.Mode is RegistryMode.Basic or RegistryMode.Tls)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{registry.Username}:{registry.Password}")));
        }

        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static string DigestLine(CliResult result) =>
        result.Stdout.Split('\n').Single(l => l.StartsWith("Digest: ", StringComparison.Ordinal));
}
