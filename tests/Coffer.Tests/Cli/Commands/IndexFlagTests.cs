using System.Diagnostics;

namespace Coffer.Tests.Cli.Commands;

/// <summary>
/// <c>manifest index</c>, <c>--platform</c> and <c>--image-spec</c> as a user meets them before any
/// registry is asked: help, completion, and arguments refused with exit 2.
/// </summary>
public sealed class IndexFlagTests
{
    private const string Digest = "sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";

    [Fact]
    public async Task IndexGroup_ListsItsCommands_AndEachHasHelpWithAnExample()
    {
        using var runner = new CofferRunner();

        var manifest = await runner.RunAsync("manifest", "--help");
        var group = await runner.RunAsync("manifest", "index", "--help");
        var create = await runner.RunAsync("manifest", "index", "create", "--help");
        var pack = await runner.RunAsync("manifest", "index", "pack", "--help");
        var update = await runner.RunAsync("manifest", "index", "update", "--help");
        var bare = await runner.RunAsync("manifest", "index");

        Assert.Contains("\n  index ", manifest.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n  create (or pack) ", group.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n  update ", group.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, create.ExitCode);
        Assert.Contains("Usage: coffer manifest index create ", create.Stdout, StringComparison.Ordinal);
        Assert.Contains("Examples:\n  coffer manifest index create ", create.Stdout, StringComparison.Ordinal);
        Assert.Equal(create.Stdout, pack.Stdout);
        Assert.Contains("--remove <digest>", update.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, bare.ExitCode);
    }

    [Theory]
    [InlineData("pull", "--platform")]
    [InlineData("attach", "--platform")]
    [InlineData("push", "--image-spec")]
    [InlineData("push", "--config")]
    public async Task Help_ShowsTheNewFlags(string command, string flag)
    {
        using var runner = new CofferRunner();

        var help = await runner.RunAsync(command, "--help");

        Assert.Contains(flag, help.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("coffer manifest i", 2, "index")]
    [InlineData("coffer manifest index ", 3, "create update")]
    [InlineData("coffer manifest index update --rem", 4, "--remove")]
    [InlineData("coffer manifest index pack --art", 4, "--artifact-type")]
    [InlineData("coffer manifest fetch-config --plat", 3, "--platform")]
    [InlineData("coffer push --image", 2, "--image-spec")]
    public async Task BashCompletion_ReachesTheIndexCommandsAndTheNewFlags(string line, int word, string expected)
    {
        using var runner = new CofferRunner();
        var script = await runner.RunAsync("completion", "bash");
        var path = runner.WriteFile("coffer.bash", System.Text.Encoding.UTF8.GetBytes(script.Stdout));

        var words = line.EndsWith(' ') ? line + "''" : line;
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"source '{path}'; COMP_WORDS=({words}); COMP_CWORD={word}; _coffer; " +
            "echo \"${COMPREPLY[@]}\"");
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(expected, output.Trim());
    }

    [Theory]
    [InlineData("--platform: platform 'linux' is not of the form", "pull", "--platform", "linux",
        "localhost:5000/a/b:v1")]
    [InlineData("--image-spec must be v1.1 or v1.0", "push", "--image-spec", "v2", "localhost:5000/a/b:v1")]
    [InlineData("image-spec v1.0 does not have", "attach", "--artifact-type", "a/b", "--image-spec", "v1.0",
        "localhost:5000/a/b:v1", "-a", "k=v")]
    [InlineData("--remove takes the digest of an entry", "manifest", "index", "update", "localhost:5000/a/b:v1",
        "--remove", "linux-amd64")]
    [InlineData("an index makes its own digest", "manifest", "index", "create", "localhost:5000/a/b@" + Digest, "v1")]
    [InlineData("-o - and --format json", "manifest", "index", "create", "-o", "-", "--format", "json",
        "localhost:5000/a/b", "v1")]
    [InlineData("cannot be tagged", "manifest", "index", "create", "-o", "i.json", "localhost:5000/a/b:v1", "v1")]
    [InlineData("is in another repository", "manifest", "index", "create", "localhost:5000/a/b:v1",
        "localhost:5000/other/repo:v1")]
    [InlineData("--tag and --output cannot be used at the same time", "manifest", "index", "update", "--tag", "x",
        "-o", "i.json", "localhost:5000/a/b:v1", "--add", "v2")]
    [InlineData("an index has no files or config", "manifest", "index", "create", "--annotation-file", "a.json",
        "localhost:5000/a/b:v1", "v1")]
    public async Task BadArguments_AreUsageErrorsBeforeAnyRequest(string message, params string[] args)
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.json", "{\"a.txt\":{\"k\":\"v\"}}"u8.ToArray());

        var result = await runner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexUpdate_WithNothingToChange_SaysSoAndAsksNothing()
    {
        using var runner = new CofferRunner();

        var result = await runner.RunAsync("manifest", "index", "update", "localhost:1/a/b:v1");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Nothing to update", result.Stdout, StringComparison.Ordinal);
    }
}
