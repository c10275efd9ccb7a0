using System.Text.RegularExpressions;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Output;

/// <summary>
/// The text output of push, pull, attach, tag and resolve, and of a registry error, pinned by golden files in
/// the shapes ORAS prints: <c>&lt;Action&gt; &lt;12 hex&gt; &lt;name&gt;</c> status lines with the action
/// padded, then <c>Pushed [registry] …</c>, <c>Pulled [registry] …</c>, <c>Attached to [registry] …</c>,
/// <c>Tagging [registry] …</c> and <c>Tagged …</c>, and <c>Error response from registry: …</c>.
/// </summary>
public sealed partial class TextOutputTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private readonly string _host = fixture.Registry.Host;

    [Fact]
    public async Task Push()
    {
        using var runner = Runner();

        var push = await Run(runner, "push", "--plain-http", "--reproducible", "--progress", "plain",
            "--concurrency", "1", $"{_host}/golden-text/push:v1,latest", "a.txt");

        Match("push.txt", push.Stdout);
    }

    [Fact]
    public async Task PushAgain_SaysTheBlobsExist()
    {
        using var runner = Runner();
        var reference = $"{_host}/golden-text/again:v1";
        await Run(runner, "push", "--plain-http", "--reproducible", reference, "a.txt");

        var again = await Run(runner, "push", "--plain-http", "--reproducible", "--progress", "plain",
            "--concurrency", "1", reference, "a.txt");

        Match("push-exists.txt", again.Stdout);
    }

    [Fact]
    public async Task Pull()
    {
        using var runner = Runner();
        var reference = await PushAsync(runner, "golden-text/pull:v1");

        var pull = await Run(runner, "pull", "--plain-http", "--progress", "plain", "--concurrency", "1",
            reference, "-o", "out");

        Match("pull.txt", pull.Stdout);
    }

    [Fact]
    public async Task Attach()
    {
        using var runner = Runner();
        var reference = await PushAsync(runner, "golden-text/attach:v1");

        var attach = await Run(runner, "attach", "--plain-http", "--progress", "plain", "--concurrency", "1",
            "--artifact-type", "application/vnd.example.sbom", reference, "sbom.json");

        Match("attach.txt", attach.Stdout);
    }

    [Fact]
    public async Task Tag()
    {
        using var runner = Runner();
        var reference = await PushAsync(runner, "golden-text/tag:v1");

        var tag = await Run(runner, "tag", "--plain-http", reference, "v2", "stable");

        Match("tag.txt", tag.Stdout);
    }

    [Fact]
    public async Task Resolve()
    {
        using var runner = Runner();
        var reference = await PushAsync(runner, "golden-text/resolve:v1");

        var digest = await Run(runner, "resolve", "--plain-http", reference);
        var full = await Run(runner, "resolve", "--plain-http", "-l", reference);

        Match("resolve.txt", digest.Stdout + full.Stdout);
    }

    [Fact]
    public async Task RegistryError_FirstLineIsOrasShaped_ThenCofferDetailAndHint()
    {
        using var runner = Runner();
        await PushAsync(runner, "golden-text/error:v1");

        var pull = await runner.RunAsync("pull", "--plain-http", $"{_host}/golden-text/error:missing", "-o", "out");

        Assert.Equal(1, pull.ExitCode);
        Assert.Equal("", pull.Stdout);
        Match("registry-error.txt", pull.Stderr);
    }

    private static CofferRunner Runner()
    {
        var runner = new CofferRunner();
        runner.WriteFile("a.txt", "hello, coffer\n"u8.ToArray());
        runner.WriteFile("sbom.json", "{\"packages\":[]}\n"u8.ToArray());
        runner.Environment["SOURCE_DATE_EPOCH"] = "0";
        return runner;
    }

    private async Task<string> PushAsync(CofferRunner runner, string repositoryAndTag)
    {
        var reference = $"{_host}/{repositoryAndTag}";
        await Run(runner, "push", "--plain-http", "--reproducible", reference, "a.txt");
        return reference;
    }

    private static async Task<CliResult> Run(CofferRunner runner, params string[] args)
    {
        var result = await runner.RunAsync(args);
        Assert.True(result.ExitCode == 0, $"coffer {string.Join(' ', args)}\n{result}");
        return result;
    }

    // A heartbeat line (bytes, rate, ETA) appears only when a transfer outlasts its period, which a loaded
    // machine can make happen; it is not part of the pinned shape.
    private void Match(string name, string output) =>
        GoldenFile.AssertMatches(name, Heartbeat().Replace(output, ""), (_host, "<registry>"));

    [GeneratedRegex(@"^\S+ [0-9a-f]{12} .* ETA \d\d:\d\d\n", RegexOptions.Multiline)]
    private static partial Regex Heartbeat();
}
