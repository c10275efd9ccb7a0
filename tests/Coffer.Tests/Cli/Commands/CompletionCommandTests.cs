using System.Diagnostics;

namespace Coffer.Tests.Cli.Commands;

public sealed class CompletionCommandTests
{
    [Fact]
    public async Task Bash_CompletesCommandsSubcommandsAndFlags()
    {
        using var runner = new CofferRunner();
        var script = await runner.RunAsync("completion", "bash");
        var path = runner.WriteFile("coffer.bash", System.Text.Encoding.UTF8.GetBytes(script.Stdout));

        var commands = await CompleteAsync(path, "coffer pu", 1);
        var subcommands = await CompleteAsync(path, "coffer manifest f", 2);
        var flags = await CompleteAsync(path, "coffer pull --ver", 2);

        Assert.Equal(0, script.ExitCode);
        Assert.Equal("push pull", commands);
        Assert.Equal("fetch fetch-config", subcommands);
        Assert.Equal("--verify", flags);
    }

    [Theory]
    [InlineData("zsh", "#compdef coffer")]
    [InlineData("fish", "complete -c coffer")]
    public async Task OtherShells_PrintTheirScripts(string shell, string marker)
    {
        using var runner = new CofferRunner();

        var script = await runner.RunAsync("completion", shell);

        Assert.Equal(0, script.ExitCode);
        Assert.StartsWith(marker, script.Stdout, StringComparison.Ordinal);
        Assert.Contains("sign-blob", script.Stdout, StringComparison.Ordinal);
    }

    private static async Task<string> CompleteAsync(string script, string line, int word)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"source '{script}'; COMP_WORDS=({line}); COMP_CWORD={word}; _coffer; " +
            "echo \"${COMPREPLY[@]}\"");
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim();
    }
}
