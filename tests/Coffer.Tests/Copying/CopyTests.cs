using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coffer.Testing;
using Coffer.Tests.Cli;
using Microsoft.AspNetCore.Http;

namespace Coffer.Tests.Copying;

/// <summary><c>coffer copy</c> between registries and layouts, as a user runs it.</summary>
public sealed class CopyTests
{
    [Fact]
    public async Task RegistryToRegistry_EachSidesCredentialGoesOnlyToItsOwnRegistry()
    {
        await using var source = await RegistryServer.StartAsync(
            RegistryMode.Basic, new RegistryServerOptions { Username = "alice-source" });
        await using var destination = await RegistryServer.StartAsync(
            RegistryMode.Basic, new RegistryServerOptions { Username = "bob-destination" });
        using var runner = new CofferRunner();
        var content = RandomNumberGenerator.GetBytes(100_000);
        runner.WriteFile("data.bin", content);
        var push = await runner.PipeAsync(source.Password, "push", "--plain-http", "-u", source.Username,
            "--password-stdin", $"{source.Host}/app/data:v1", "data.bin");
        Assert.True(push.ExitCode == 0, push.ToString());
        var config = runner.WriteFile("bob.json", Encoding.UTF8.GetBytes(ConfigFor(destination)));

        var copy = await runner.PipeAsync(source.Password, "cp", "--from-plain-http", "--from-username",
            source.Username, "--from-password-stdin", "--to-plain-http", "--to-registry-config", config,
            $"{source.Host}/app/data:v1", $"{destination.Host}/mirror/data:v1,stable");
        var pull = await runner.PipeAsync(destination.Password, "pull", "--plain-http", "-u", destination.Username,
            "--password-stdin", $"{destination.Host}/mirror/data:stable", "-o", "out");

        // Distribution names the authenticated user only on the log lines of failed requests (and
        // the user tried on a failed login); the push finds its blobs with mounts that all succeed.
        var missing = await runner.PipeAsync(source.Password, "resolve", "--plain-http", "-u", source.Username,
            "--password-stdin", $"{source.Host}/app/data:missing");

        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Contains($"Copied [registry] {source.Host}/app/data:v1 => [registry] {destination.Host}/mirror/data:v1",
            copy.Stdout, StringComparison.Ordinal);
        Assert.Contains("Tagged stable", copy.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Digest: {Field(push, "Digest: ")}", copy.Stdout, StringComparison.Ordinal);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "out", "data.bin")));
        Assert.Equal(1, missing.ExitCode);
        await source.FlushRequestLogAsync();
        await destination.FlushRequestLogAsync();
        Assert.Contains(source.Username, source.ErrorOutput, StringComparison.Ordinal);
        Assert.Contains(destination.Username, destination.ErrorOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(destination.Username, source.ErrorOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(source.Username, destination.ErrorOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(source.Password, copy.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistryToLayout_AndBack_AndFromATar()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("state.json", "{\"run\":1}"u8.ToArray());
        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/app/state:v1", "state.json");

        var toLayout = await runner.RunAsync("cp", "--from-plain-http", "--to-oci-layout",
            $"{registry.Host}/app/state:v1", "backup:v1");
        var pulled = await runner.RunAsync("pull", "--oci-layout", "backup:v1", "-o", "out");
        var back = await runner.RunAsync("copy", "--from-oci-layout", "--to-plain-http", "backup:v1",
            $"{registry.Host}/restored/state");
        await TarFile.CreateFromDirectoryAsync(Path.Combine(runner.WorkingDirectory, "backup"),
            Path.Combine(runner.WorkingDirectory, "backup.tar"), includeBaseDirectory: false);
        var fromTar = await runner.RunAsync("copy", "--from-oci-layout", "--to-plain-http", "backup.tar:v1",
            $"{registry.Host}/from-tar/state:v9");
        var again = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/from-tar/state:v9", "-o", "tar");
        var toTar = await runner.RunAsync("cp", "--from-plain-http", "--to-oci-layout",
            $"{registry.Host}/app/state:v1", "backup.tar:v2");

        var digest = Field(push, "Digest: ");
        Assert.True(toLayout.ExitCode == 0, toLayout.ToString());
        Assert.Contains($"Copied [registry] {registry.Host}/app/state:v1 => [oci-layout] backup:v1",
            toLayout.Stdout, StringComparison.Ordinal);
        Assert.True(pulled.ExitCode == 0, pulled.ToString());
        Assert.Equal("{\"run\":1}", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out", "state.json")));
        Assert.True(back.ExitCode == 0, back.ToString());
        Assert.Contains($"Copied [oci-layout] backup:v1 => [registry] {registry.Host}/restored/state:v1",
            back.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Digest: {digest}", back.Stdout, StringComparison.Ordinal);
        Assert.True(fromTar.ExitCode == 0, fromTar.ToString());
        Assert.Contains("[oci-layout] backup.tar:v1 =>", fromTar.Stdout, StringComparison.Ordinal);
        Assert.Equal("{\"run\":1}", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "tar", "state.json")));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(2, toTar.ExitCode);
        Assert.Contains("does not write them", toTar.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameRegistry_MountsTheBlobs()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Basic);
        using var runner = new CofferRunner();
        runner.WriteFile("a.bin", RandomNumberGenerator.GetBytes(20_000));
        var login = await runner.PipeAsync(registry.Password, "login", "--plain-http", "-u", registry.Username,
            "--password-stdin", "--allow-plaintext", registry.Host);
        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/team/a:v1", "a.bin");
        registry.ClearRequestLog();

        var copy = await runner.RunAsync("cp", "--from-plain-http", "--to-plain-http",
            $"{registry.Host}/team/a:v1", $"{registry.Host}/other/b:v1");
        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/other/b:v1", "-o", "out");
        var log = await registry.FlushRequestLogAsync();

        Assert.Equal(0, login.ExitCode);
        Assert.Equal(0, push.ExitCode);
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Equal(2, copy.Stdout.Split('\n').Count(l => l.StartsWith("Mounted ", StringComparison.Ordinal)));
        Assert.Equal(2, log.Count(r => r.Method == "POST" && r.Path.Contains("mount=", StringComparison.Ordinal)
            && r.Path.Contains("from=team%2Fa", StringComparison.Ordinal) && r.Status == 201));
        Assert.DoesNotContain(log, r => r.Method is "PUT" or "PATCH" && r.Path.Contains("/blobs/uploads/",
            StringComparison.Ordinal));
        Assert.True(pull.ExitCode == 0, pull.ToString());
    }

    [Theory]
    [InlineData(202)]
    [InlineData(405)]
    public async Task SameRegistry_MountNotDone_FallsBackToAnUpload(int answer)
    {
        await using var registry = await FakeRegistry.StartAsync();
        var layer = RandomNumberGenerator.GetBytes(5000);
        var manifest = ArtifactWith(registry, "team/a", layer);
        registry.AddManifest("team/a", manifest, "application/vnd.oci.image.manifest.v1+json", "v1");
        registry.Intercept = async context =>
        {
            if (context.Request.Method != "POST" || !context.Request.Query.ContainsKey("mount"))
            {
                return false;
            }

            if (answer == 202)
            {
                // As a registry that will not mount: the same POST opens an ordinary upload session.
                context.Request.QueryString = QueryString.Empty;
                return false;
            }

            context.Response.StatusCode = answer;
            await context.Response.WriteAsync("{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"no\"}]}");
            return true;
        };
        using var runner = new CofferRunner();

        var copy = await runner.RunAsync("cp", "--from-plain-http", "--to-plain-http",
            $"{registry.Host}/team/a:v1", $"{registry.Host}/other/b:v1");

        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.DoesNotContain("Mounted", copy.Stdout, StringComparison.Ordinal);
        Assert.True(registry.TryGetBlob("other/b", Digest(layer), out var copied));
        Assert.Equal(layer, copied);
        Assert.Equal(0, registry.OpenUploadCount);
        Assert.Contains(registry.Requests,
            r => r.Method == "POST" && r.PathAndQuery.Contains("mount=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SourceServingAWrongBlob_FailsWithExit3_AndTagsNothing(bool toLayout)
    {
        await using var source = await FakeRegistry.StartAsync();
        await using var destination = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        var layer = RandomNumberGenerator.GetBytes(8000);
        var manifest = ArtifactWith(source, "app/x", layer);
        source.AddManifest("app/x", manifest, "application/vnd.oci.image.manifest.v1+json", "v1");
        var forged = (byte[])layer.Clone();
        forged[4000] ^= 0xFF;
        source.Intercept = async context =>
        {
            if (context.Request.Method != "GET" || !context.Request.Path.Value!.EndsWith(Digest(layer),
                StringComparison.Ordinal))
            {
                return false;
            }

            context.Response.ContentLength = forged.Length;
            await context.Response.Body.WriteAsync(forged);
            return true;
        };
        using var runner = new CofferRunner();
        string[] target = toLayout ? ["--to-oci-layout", "dest:v1"] : ["--to-plain-http", $"{destination.Host}/y/x:v1"];

        var copy = await runner.RunAsync(["cp", "--from-plain-http", .. target[..^1], $"{source.Host}/app/x:v1",
            target[^1]]);
        var tags = toLayout
            ? await runner.RunAsync("repo", "tags", "--oci-layout", "dest")
            : await runner.RunAsync("repo", "tags", "--plain-http", $"{destination.Host}/y/x");

        Assert.Equal(3, copy.ExitCode);
        Assert.Contains("does not match", copy.Stderr, StringComparison.Ordinal);
        Assert.Equal("", tags.Stdout);
        if (toLayout)
        {
            Assert.False(File.Exists(Path.Combine(runner.WorkingDirectory, "dest", "blobs", "sha256",
                Digest(layer)[7..])));
        }
        else
        {
            var log = await destination.FlushRequestLogAsync();
            Assert.DoesNotContain(
                log, r => r.Method == "PUT" && r.Path.Contains("/manifests/", StringComparison.Ordinal));
            Assert.DoesNotContain(log, r => r.Method == "PUT" && r.Status == 201
                && r.Path.Contains(Digest(layer)[7..], StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("new")]
    [InlineData("deep/er/new")]
    [InlineData("empty")]
    public async Task FailingPartWay_IntoANewLayout_RemovesWhatItMade(string folder)
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "first"u8.ToArray());
        runner.WriteFile("b.txt", "second"u8.ToArray());
        var push = await runner.RunAsync("push", "--oci-layout", "source:v1", "a.txt", "b.txt");
        File.WriteAllText(BlobPath(runner, "source", "second"u8.ToArray()), "altered");
        Directory.CreateDirectory(Path.Combine(runner.WorkingDirectory, "empty"));

        var copy = await runner.RunAsync("cp", "--concurrency", "1", "--from-oci-layout", "--to-oci-layout",
            "source:v1", $"{folder}:v1");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Equal(3, copy.ExitCode);
        Assert.Contains("does not match", copy.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Warning", copy.Stderr, StringComparison.Ordinal);
        var top = Path.Combine(runner.WorkingDirectory, folder.Split('/')[0]);
        if (folder == "empty")
        {
            Assert.Empty(Directory.EnumerateFileSystemEntries(top));
        }
        else
        {
            Assert.False(Directory.Exists(top), $"the failed copy left {top} behind");
        }
    }

    [Fact]
    public async Task FailingPartWay_IntoAnExistingLayout_AddsNoEntryToItsIndex()
    {
        using var runner = new CofferRunner();
        var images = new PlatformImagePusher(runner, runner.RunAsync, "--oci-layout");
        await images.PushAsync("source", "linux-amd64", "linux", "amd64", null, "amd64\n");
        await images.PushAsync("source", "linux-arm64", "linux", "arm64", null, "arm64\n");
        var index = await runner.RunAsync("manifest", "index", "create", "--oci-layout", "source:v1",
            "linux-amd64", "linux-arm64");
        runner.WriteFile("sbom.json", "{\"sbom\":1}"u8.ToArray());
        var attach = await runner.RunAsync("attach", "--oci-layout", "--artifact-type",
            "application/vnd.example.sbom", "source:v1", "sbom.json");
        File.WriteAllText(BlobPath(runner, "source", "{\"sbom\":1}"u8.ToArray()), "{\"sbom\":2}");
        runner.WriteFile("kept.txt", "kept"u8.ToArray());
        var kept = await runner.RunAsync("push", "--oci-layout", "dest:kept", "kept.txt");
        var before = File.ReadAllText(Path.Combine(runner.WorkingDirectory, "dest", "index.json"));

        var copy = await runner.RunAsync(
            "cp", "-r", "--from-oci-layout", "--to-oci-layout", "source:v1", "dest:v1");
        var tags = await runner.RunAsync("repo", "tags", "--oci-layout", "dest");

        Assert.True(index.ExitCode == 0, index.ToString());
        Assert.True(attach.ExitCode == 0, attach.ToString());
        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Equal(3, copy.ExitCode);
        Assert.Contains("does not match", copy.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(runner.WorkingDirectory, "dest", "index.json")));
        Assert.Equal("kept\n", tags.Stdout);
    }

    [Fact]
    public async Task BothSidesReadingStdin_IsRefusedBeforeAnythingIsRead()
    {
        using var runner = new CofferRunner();

        var copy = await runner.PipeAsync("one secret\n", "cp", "--from-username", "a", "--from-password-stdin",
            "--to-identity-token-stdin", "127.0.0.1:9/a/b:v1", "127.0.0.1:9/c/d:v1");

        Assert.Equal(2, copy.ExitCode);
        Assert.Contains("only one side can read its secret from stdin", copy.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--from-oci-layout", "--from-plain-http", "a:v1", "127.0.0.1:9/b/c:v1",
        "--from-plain-http is for registries")]
    [InlineData("--to-oci-layout", "--to-distribution-spec=v1.1-referrers-tag", "127.0.0.1:9/b/c:v1", "b:v1",
        "--to-distribution-spec is for registries")]
    public async Task RegistryFlags_OnALayoutSide_AreRefused(
        string layout, string flag, string from, string to, string message)
    {
        using var runner = new CofferRunner();

        var copy = await runner.RunAsync("cp", layout, flag, from, to);

        Assert.Equal(2, copy.ExitCode);
        Assert.Contains(message, copy.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DirectoryArtifact_WithSeveralFiles_IsCopiedWhole()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("site/index.html", "<h1>hi</h1>"u8.ToArray());
        runner.WriteFile("site/css/main.css", "h1{}"u8.ToArray());
        runner.WriteFile("notes.txt", "notes"u8.ToArray());
        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/web/site:v1", "site", "notes.txt");

        var copy = await runner.RunAsync("cp", "--from-plain-http", "--to-oci-layout", "--format", "json",
            $"{registry.Host}/web/site:v1", "layout:v1");
        var onward = await runner.RunAsync("cp", "--from-oci-layout", "--to-plain-http", "layout:v1",
            $"{registry.Host}/web/copy:v1");
        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/web/copy:v1", "-o", "out");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(copy.ExitCode == 0, copy.ToString());
        using var document = JsonDocument.Parse(copy.Stdout);
        var root = document.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal($"{registry.Host}/web/site:v1", root.GetProperty("source").GetString());
        Assert.Equal(Field(push, "Digest: "), root.GetProperty("digest").GetString());
        Assert.Equal(3, root.GetProperty("blobs").GetProperty("copied").GetInt32());
        Assert.Equal(["layout:v1"], root.GetProperty("referenceAsTags").EnumerateArray().Select(e => e.GetString()));
        Assert.True(onward.ExitCode == 0, onward.ToString());
        Assert.True(pull.ExitCode == 0, pull.ToString());
        var site = Path.Combine(runner.WorkingDirectory, "out", "site");
        Assert.Equal("<h1>hi</h1>", File.ReadAllText(Path.Combine(site, "index.html")));
        Assert.Equal("h1{}", File.ReadAllText(Path.Combine(site, "css", "main.css")));
        Assert.Equal("notes", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out", "notes.txt")));
    }

    [Fact]
    public async Task Index_IsCopiedWithEveryManifestItLists()
    {
        await using var source = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        await using var destination = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("amd64.txt", "for amd64"u8.ToArray());
        runner.WriteFile("arm64.txt", "for arm64"u8.ToArray());
        var amd = await runner.RunAsync("push", "--plain-http", $"{source.Host}/multi/app:amd64", "amd64.txt");
        var arm = await runner.RunAsync("push", "--plain-http", $"{source.Host}/multi/app:arm64", "arm64.txt");
        var entries = new[] { (amd, "amd64"), (arm, "arm64") }.Select(p =>
        {
            var fetched = runner.RunAsync("manifest", "fetch", "--plain-http", "--descriptor",
                $"{source.Host}/multi/app:{p.Item2}").Result;
            using var d = JsonDocument.Parse(fetched.Stdout);
            return $"{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
                $"\"digest\":\"{d.RootElement.GetProperty("digest").GetString()}\"," +
                $"\"size\":{d.RootElement.GetProperty("size").GetInt64()}," +
                $"\"platform\":{{\"os\":\"linux\",\"architecture\":\"{p.Item2}\"}}}}";
        });
        var index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\"," +
            $"\"manifests\":[{string.Join(",", entries)}]}}";
        runner.WriteFile("index.json", Encoding.UTF8.GetBytes(index));
        var pushIndex = await runner.RunAsync("manifest", "push", "--plain-http", $"{source.Host}/multi/app:v1",
            "index.json");

        var copy = await runner.RunAsync("cp", "--from-plain-http", "--to-plain-http", $"{source.Host}/multi/app:v1",
            $"{destination.Host}/multi/copy:v1");
        var fetchedIndex = await runner.RunAsync(
            "manifest", "fetch", "--plain-http", $"{destination.Host}/multi/copy:v1");
        var pull = await runner.RunAsync("pull", "--plain-http", $"{destination.Host}/multi/copy:v1", "-o", "out");
        var amdCopy = await runner.RunAsync("resolve", "--plain-http",
            $"{destination.Host}/multi/copy@{Field(amd, "Digest: ")}");

        Assert.True(pushIndex.ExitCode == 0, pushIndex.ToString());
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Contains($"Digest: {Field(pushIndex, "Digest: ")}", copy.Stdout, StringComparison.Ordinal);
        Assert.Equal(index, fetchedIndex.Stdout);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal("for amd64", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out", "amd64.txt")));
        Assert.Equal("for arm64", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out", "arm64.txt")));
        Assert.Equal(Field(amd, "Digest: "), amdCopy.Stdout.Trim());
    }

    [Fact]
    public async Task CopyAgain_FindsEverythingThere_AndOnlyTags()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        await runner.RunAsync("push", "--plain-http", $"{registry.Host}/app/a:v1", "a.txt");
        var first = await runner.RunAsync("cp", "--from-plain-http", "--to-oci-layout", $"{registry.Host}/app/a:v1",
            "layout:v1");

        var second = await runner.RunAsync("cp", "--from-plain-http", "--to-oci-layout", $"{registry.Host}/app/a:v1",
            "layout:v2");
        var tags = await runner.RunAsync("repo", "tags", "--oci-layout", "layout");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("Exists ", second.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Copied  ", second.Stdout, StringComparison.Ordinal);
        Assert.Equal("v1\nv2\n", tags.Stdout);
    }

    [Fact]
    public async Task Copy_IsInTheHelpAndTheCompletion()
    {
        using var runner = new CofferRunner();

        var help = await runner.RunAsync("--help");
        var command = await runner.RunAsync("cp", "--help");
        var bash = await runner.RunAsync("completion", "bash");

        Assert.Contains("\n  copy ", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("Aliases: cp", command.Stdout, StringComparison.Ordinal);
        Assert.Contains("--from-password-stdin", command.Stdout, StringComparison.Ordinal);
        Assert.Contains("--to-oci-layout", command.Stdout, StringComparison.Ordinal);
        Assert.Contains("copy) words=\"", bash.Stdout, StringComparison.Ordinal);
        Assert.Contains("--from-username", bash.Stdout, StringComparison.Ordinal);
    }

    // An artifact whose one layer (and config) the fake holds in the repository; returns its manifest.
    private static byte[] ArtifactWith(FakeRegistry registry, string repository, byte[] layer)
    {
        registry.AddBlob(repository, "{}"u8.ToArray());
        var layerDigest = registry.AddBlob(repository, layer);
        return Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
            "\"artifactType\":\"application/vnd.example\"," +
            "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\"," +
            $"\"digest\":\"{Digest("{}"u8.ToArray())}\",\"size\":2}}," +
            "\"layers\":[{\"mediaType\":\"application/octet-stream\"," +
            $"\"digest\":\"{layerDigest}\",\"size\":{layer.Length}," +
            "\"annotations\":{\"org.opencontainers.image.title\":\"layer.bin\"}}]}");
    }

    private static string BlobPath(CofferRunner runner, string layout, byte[] content) =>
        Path.Combine(runner.WorkingDirectory, layout, "blobs", "sha256", Digest(content)[7..]);

    private static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private static string ConfigFor(RegistryServer registry) =>
        $"{{\"auths\":{{\"{registry.Host}\":{{\"auth\":\"" +
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{registry.Username}:{registry.Password}")) + "\"}}}";

    private static string Field(CliResult result, string prefix) =>
        result.Stdout.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Trim();
}
