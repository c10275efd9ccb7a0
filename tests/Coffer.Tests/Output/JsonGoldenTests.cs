using System.Runtime.InteropServices;
using System.Text.Json;
using Coffer.Http;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Output;

/// <summary>
/// The exact <c>--format json</c> document of each registry, credential and local command, pinned by a
/// golden file. Content is fixed (file bytes, annotations, <c>--reproducible</c> or <c>SOURCE_DATE_EPOCH</c>),
/// so digests are part of what is pinned; only the registry's address and temporary paths are replaced.
/// </summary>
public sealed class JsonGoldenTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private readonly string _host = fixture.Registry.Host;

    [Fact]
    public async Task Push()
    {
        using var runner = Runner();

        // Plain status lines would go to stdout; with --format json they must not.
        var push = await Run(runner, "push", "--plain-http", "--reproducible", "--format", "json", "--progress",
            "plain", "-a", "team=build", $"{_host}/golden/push:v1,latest", "a.txt", "notes.md:text/markdown");

        Match("push.json", push, runner);
    }

    [Fact]
    public async Task Pull()
    {
        using var runner = Runner();
        var reference = await PushAsync(runner, "golden/pull:v1");

        var pull = await Run(runner, "pull", "--plain-http", "--format", "json", reference, "-o", "out");

        Match("pull.json", pull, runner);
    }

    [Fact]
    public async Task Attach()
    {
        using var runner = Runner();
        var reference = await PushAsync(runner, "golden/attach:v1");

        var attach = await Run(runner, "attach", "--plain-http", "--format", "json",
            "--artifact-type", "application/vnd.example.sbom", "-a", "kind=sbom", reference, "sbom.json");

        Match("attach.json", attach, runner);
    }

    [Fact]
    public async Task Discover()
    {
        using var runner = Runner();
        var reference = await PushAsync(runner, "golden/discover:v1");
        var sbom = JsonDocument.Parse((await Run(runner, "attach", "--plain-http", "--format", "json",
            "--artifact-type", "application/vnd.example.sbom", reference, "sbom.json")).Stdout);
        await Run(runner, "attach", "--plain-http", "--artifact-type", "application/vnd.example.review",
            "-a", "reviewed=yes", sbom.RootElement.GetProperty("reference").GetString()!);

        var discover = await Run(runner, "discover", "--plain-http", "--format", "json", reference);

        Match("discover.json", discover, runner);
    }

    [Fact]
    public async Task Tag()
    {
        using var runner = Runner();
        var reference = await PushAsync(runner, "golden/tag:v1");

        var tag = await Run(runner, "tag", "--plain-http", "--format", "json", reference, "v2", "stable");

        Match("tag.json", tag, runner);
    }

    [Fact]
    public async Task Resolve()
    {
        using var runner = Runner();
        var reference = await PushAsync(runner, "golden/resolve:v1");

        var resolve = await Run(runner, "resolve", "--plain-http", "--format", "json", reference);

        Match("resolve.json", resolve, runner);
    }

    [Fact]
    public async Task ManifestFetch()
    {
        using var runner = Runner();
        var reference = await PushAsync(runner, "golden/manifest:v1");

        var fetch = await Run(runner, "manifest", "fetch", "--plain-http", "--format", "json", reference);
        var descriptor = await Run(runner, "manifest", "fetch", "--plain-http", "--descriptor", reference);

        Match("manifest-fetch.json", fetch, runner);
        Match("manifest-fetch-descriptor.json", descriptor, runner);
    }

    [Fact]
    public async Task ManifestFetchConfig()
    {
        using var runner = Runner();
        var reference = await PushAsync(runner, "golden/config:v1");

        var fetch = await Run(runner, "manifest", "fetch-config", "--plain-http", "--format", "json", reference);

        Match("manifest-fetch-config.json", fetch, runner);
    }

    [Fact]
    public async Task ManifestPush()
    {
        using var runner = Runner();
        await Run(runner, "push", "--plain-http", "--reproducible", "--export-manifest", "manifest.json",
            $"{_host}/golden/manifest-push:v1", "a.txt");

        var push = await Run(runner, "manifest", "push", "--plain-http", "--format", "json",
            $"{_host}/golden/manifest-push:copy,again", "manifest.json");

        Match("manifest-push.json", push, runner);
    }

    [Fact]
    public async Task ManifestIndexCreateAndUpdate()
    {
        using var runner = Runner();
        await PushAsync(runner, "golden/index:one");
        await Run(runner, "push", "--plain-http", "--reproducible", $"{_host}/golden/index:two", "notes.md");

        var create = await Run(runner, "manifest", "index", "create", "--plain-http", "--format", "json",
            "-a", "team=build", $"{_host}/golden/index:all", "one");
        var update = await Run(runner, "manifest", "index", "update", "--plain-http", "--format", "json",
            "--add", "two", $"{_host}/golden/index:all");

        Match("manifest-index-create.json", create, runner);
        Match("manifest-index-update.json", update, runner);
    }

    [Fact]
    public async Task Copy()
    {
        using var runner = Runner();
        var reference = await PushAsync(runner, "golden/copy-from:v1");

        var copy = await Run(runner, "copy", "--from-plain-http", "--to-plain-http", "--format", "json",
            reference, $"{_host}/golden/copy-to:v1,stable");

        Match("copy.json", copy, runner);
    }

    [Fact]
    public async Task ManifestDelete()
    {
        using var runner = Runner();
        var reference = await PushAsync(runner, "golden/manifest-delete:v1");

        var delete = await Run(runner, "manifest", "delete", "--plain-http", "-f", "--format", "json", reference);
        var missing = await Run(runner, "manifest", "delete", "--plain-http", "-f", "--format", "json", reference);

        Match("manifest-delete.json", delete, runner);
        Match("manifest-delete-missing.json", missing, runner);
    }

    [Fact]
    public async Task BlobFetch()
    {
        using var runner = Runner();
        await PushAsync(runner, "golden/blob-fetch:v1");

        var fetch = await Run(runner, "blob", "fetch", "--plain-http", "--format", "json", "-o", "copy.txt",
            $"{_host}/golden/blob-fetch@{Sha256(runner, "a.txt")}");

        Match("blob-fetch.json", fetch, runner);
    }

    [Fact]
    public async Task BlobPush()
    {
        using var runner = Runner();

        var push = await Run(runner, "blob", "push", "--plain-http", "--format", "json", "--media-type",
            "text/plain", $"{_host}/golden/blob-push", "a.txt");

        Match("blob-push.json", push, runner);
    }

    [Fact]
    public async Task BlobDelete()
    {
        using var runner = Runner();
        await Run(runner, "blob", "push", "--plain-http", $"{_host}/golden/blob-delete", "a.txt");

        var delete = await Run(runner, "blob", "delete", "--plain-http", "-f", "--format", "json",
            $"{_host}/golden/blob-delete@{Sha256(runner, "a.txt")}");

        Match("blob-delete.json", delete, runner);
    }

    [Fact]
    public async Task RepoList()
    {
        using var runner = Runner();
        await PushAsync(runner, "golden-ls/app:v1");
        await PushAsync(runner, "golden-ls/tools/cli:v1");

        var list = await Run(runner, "repo", "ls", "--plain-http", "--format", "json", $"{_host}/golden-ls");

        Match("repo-ls.json", list, runner);
    }

    [Fact]
    public async Task RepoTags()
    {
        using var runner = Runner();
        var reference = await PushAsync(runner, "golden/tags:v1");
        await Run(runner, "tag", "--plain-http", reference, "v2", "latest");

        var tags = await Run(runner, "repo", "tags", "--plain-http", "--format", "json", $"{_host}/golden/tags");

        Match("repo-tags.json", tags, runner);
    }

    [Fact]
    public async Task LoginAndLogout()
    {
        using var runner = Runner();

        var login = await runner.PipeAsync("secret\n", "login", "--plain-http", "-u", "ci", "--password-stdin",
            "--format", "json", _host);
        var logout = await runner.RunAsync("logout", "--format", "json", _host);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.True(logout.ExitCode == 0, logout.ToString());
        Match("login.json", login, runner);
        Match("logout.json", logout, runner);
    }

    [Fact]
    public async Task Version()
    {
        using var runner = Runner();

        var version = await Run(runner, "version", "--format", "json");

        Match("version.json", version, runner,
            (UserAgent.Version, "<version>"),
            (RuntimeInformation.FrameworkDescription, "<runtime>"),
            (RuntimeInformation.RuntimeIdentifier, "<os-arch>"));
    }

    [Fact]
    public async Task GenerateKeyPair()
    {
        using var runner = Runner();
        runner.Environment["COSIGN_PASSWORD"] = "golden";

        var keys = await Run(runner, "generate-key-pair", "--format", "json", "--output-key-prefix", "release");

        Match("generate-key-pair.json", keys, runner);
    }

    [Fact]
    public async Task Failure_FormatJson_LeavesStdoutEmptyAndReportsOnStderr()
    {
        using var runner = Runner();

        var pull = await runner.RunAsync("pull", "--plain-http", "--format", "json", $"{_host}/golden/none:v1");

        Assert.Equal(1, pull.ExitCode);
        Assert.Equal("", pull.Stdout);
        Assert.StartsWith("Error response from registry: manifest unknown: ", pull.Stderr, StringComparison.Ordinal);
    }

    private static CofferRunner Runner()
    {
        var runner = new CofferRunner();
        runner.WriteFile("a.txt", "hello, coffer\n"u8.ToArray());
        runner.WriteFile("notes.md", "# notes\n"u8.ToArray());
        runner.WriteFile("sbom.json", "{\"packages\":[]}\n"u8.ToArray());

        // Attach has no --reproducible; this fixes its created annotation the same way.
        runner.Environment["SOURCE_DATE_EPOCH"] = "0";
        return runner;
    }

    private async Task<string> PushAsync(CofferRunner runner, string repositoryAndTag)
    {
        var reference = $"{_host}/{repositoryAndTag}";
        await Run(runner, "push", "--plain-http", "--reproducible", "-a", "team=build", reference, "a.txt");
        return reference;
    }

    private static async Task<CliResult> Run(CofferRunner runner, params string[] args)
    {
        var result = await runner.RunAsync(args);
        Assert.True(result.ExitCode == 0, $"coffer {string.Join(' ', args)}\n{result}");
        return result;
    }

    private void Match(string name, CliResult result, CofferRunner runner, params (string, string)[] more) =>
        GoldenFile.AssertMatches(name, result.Stdout,
        [
            (_host, "<registry>"),
            (runner.WorkingDirectory, "<work>"),
            (runner.Root, "<root>"),
            .. more,
        ]);

    private static string Sha256(CofferRunner runner, string file) => "sha256:" + Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, file))));
}
