using System.Text.Json;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

/// <summary><c>--progress</c> on push, pull and attach: where status goes, kept off stdout's JSON.</summary>
public sealed class ProgressTests
{
    [Fact]
    public async Task PushAndPull_ProgressNone_PrintNoStatusLines()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var reference = $"{registry.Host}/progress/none:v1";

        var push = await runner.RunAsync("push", "--plain-http", "--progress", "none", reference, "a.txt");
        var pull = await runner.RunAsync("pull", "--plain-http", "--progress=none", reference, "-o", "out");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal("", push.Stderr);
        Assert.Equal("", pull.Stderr);
        Assert.StartsWith("Pushed [registry] ", push.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("Pulled [registry] ", pull.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Upload", push.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Download", pull.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_DefaultWithoutATerminal_PrintsPlainLinesOnStdout()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());

        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/progress/auto:v1", "a.txt");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains(" a.txt\n", push.Stdout, StringComparison.Ordinal);
        Assert.Contains("Uploaded ", push.Stdout, StringComparison.Ordinal);
        Assert.Equal("", push.Stderr);
    }

    [Fact]
    public async Task PushPullAttach_ProgressJsonWithFormatJson_KeepStdoutOneDocumentAndEventsOnStderr()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        runner.WriteFile("note.txt", "n"u8.ToArray());
        var reference = $"{registry.Host}/progress/json:v1";

        var push = await runner.RunAsync(
            "push", "--plain-http", "--format", "json", "--progress", "json", reference, "a.txt");
        var pull = await runner.RunAsync(
            "pull", "--plain-http", "--format", "json", "--progress", "json", reference, "-o", "out");
        var attach = await runner.RunAsync(
            "attach", "--plain-http", "--format", "json", "--progress", "json",
            "--artifact-type", "application/vnd.example.note", reference, "note.txt");

        foreach (var (result, file) in new[] { (push, "a.txt"), (pull, "a.txt"), (attach, "note.txt") })
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            using (var document = JsonDocument.Parse(result.Stdout))
            {
                Assert.Equal(1, document.RootElement.GetProperty("schemaVersion").GetInt32());
            }

            var events = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.NotEmpty(events);
            var names = new List<string>();
            foreach (var line in events)
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                Assert.Contains(root.GetProperty("event").GetString(), new[] { "started", "progress", "completed" });
                Assert.StartsWith("sha256:", root.GetProperty("digest").GetString(), StringComparison.Ordinal);
                Assert.True(root.GetProperty("size").GetInt64() >= 0);
                Assert.True(root.GetProperty("bytes").GetInt64() >= 0);
                Assert.True(root.GetProperty("elapsedMs").GetInt64() >= 0);
                if (root.GetProperty("event").GetString() == "completed")
                {
                    Assert.NotNull(root.GetProperty("outcome").GetString());
                    names.Add(root.GetProperty("name").GetString()!);
                }
            }

            Assert.Contains(file, names);
        }
    }

    [Fact]
    public async Task Push_FormatJsonWithProgressOtherThanJson_WritesNoStatusAnywhere()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());

        var push = await runner.RunAsync(
            "push", "--plain-http", "--format", "json", "--progress", "plain", $"{registry.Host}/progress/f:v1",
            "a.txt");

        Assert.True(push.ExitCode == 0, push.ToString());
        using var document = JsonDocument.Parse(push.Stdout);
        Assert.Equal("", push.Stderr);
    }

    [Theory]
    [InlineData("push", "127.0.0.1:1/r:v1", "a.txt")]
    [InlineData("pull", "127.0.0.1:1/r:v1")]
    [InlineData("attach", "--artifact-type", "x/y", "127.0.0.1:1/r:v1", "a.txt")]
    public async Task ProgressInvalidValue_IsAUsageError(params string[] args)
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());

        var result = await runner.RunAsync([args[0], "--plain-http", "--progress", "loud", .. args.Skip(1)]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--progress must be auto, tty, plain, json or none, not 'loud'", result.Stderr,
            StringComparison.Ordinal);
    }
}
