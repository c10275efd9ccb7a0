using Coffer.Cli;
using Coffer.Cli.Hosting;
using Coffer.Testing;
using Coffer.Tests.Faults;

namespace Coffer.Tests.Cli.Commands;

/// <summary>The prompt a delete asks on a terminal, and what each answer does.</summary>
public sealed class ConfirmationTests
{
    [Theory]
    [InlineData("y", 0, false)]
    [InlineData("yes", 0, false)]
    [InlineData("n", 1, true)]
    [InlineData("", 1, true)]
    public async Task ManifestDelete_OnATerminal_DeletesOnlyWhenConfirmed(string answer, int exitCode, bool kept)
    {
        await using var registry = await FakeRegistry.StartAsync();
        FakeArtifact.Add(registry, "ask/art", "v1", ("a.txt", "a"u8.ToArray(), null));
        string? asked = null;

        var (code, stdout, _) = await RunAsync(
            prompt =>
            {
                asked = prompt;
                return answer;
            },
            "manifest", "delete", "--plain-http", $"{registry.Host}/ask/art:v1");

        Assert.Equal(exitCode, code);
        Assert.NotNull(asked);
        Assert.Contains("Delete the manifest sha256:", asked, StringComparison.Ordinal);
        Assert.Equal(kept, registry.TryGetManifest("ask/art", "v1", out _));
        Assert.Equal(!kept, stdout.Contains("Deleted [registry]", StringComparison.Ordinal));
        Assert.DoesNotContain(registry.Requests, r => kept && r.Method == "DELETE");
    }

    [Fact]
    public async Task BlobDelete_Force_NeverPrompts()
    {
        await using var registry = await FakeRegistry.StartAsync();
        var digest = registry.AddBlob("ask/blob", "x"u8.ToArray());
        var prompted = false;

        var (code, _, _) = await RunAsync(
            _ =>
            {
                prompted = true;
                return "n";
            },
            "blob", "delete", "--plain-http", "-f", $"{registry.Host}/ask/blob@{digest}");

        Assert.Equal(0, code);
        Assert.False(prompted);
        Assert.False(registry.TryGetBlob("ask/blob", digest, out _));
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(
        Func<string, string?> readLine, params string[] args)
    {
        using var runner = new CofferRunner();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext
        {
            Stdin = () => TextReader.Null,
            Stdout = output,
            Stderr = error,
            Environment = name => runner.Environment.TryGetValue(name, out var value) ? value : null,
            WorkingDirectory = runner.WorkingDirectory,
            HomeDirectory = runner.Home,
            StdinIsTerminal = true,
            ReadLine = readLine,
        };
        var code = await CofferApp.RunAsync(args, context);
        return (code, output.ToString(), error.ToString());
    }
}
