using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

public sealed class TagResolveTests
{
    [Fact]
    public async Task TagThenResolve_EveryTagGivesThePushedDigest()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Basic);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        string[] auth = ["--plain-http", "-u", registry.Username, "--password-stdin"];
        var push = await runner.PipeAsync(
            registry.Password, ["push", .. auth, $"{registry.Host}/tr/art:v1.0.0", "a.txt"]);
        var digest = push.Stdout.Split('\n')
            .Single(l => l.StartsWith("Digest: ", StringComparison.Ordinal))[8..]
            .Trim();

        var tag = await runner.PipeAsync(
            registry.Password, ["tag", .. auth, $"{registry.Host}/tr/art:v1.0.0", "v1", "latest"]);
        var resolve = await runner.PipeAsync(registry.Password, ["resolve", .. auth, $"{registry.Host}/tr/art:latest"]);
        var full = await runner.PipeAsync(registry.Password, ["resolve", .. auth, "-l", $"{registry.Host}/tr/art:v1"]);
        var missing = await runner.PipeAsync(registry.Password, ["resolve", .. auth, $"{registry.Host}/tr/art:nope"]);

        Assert.True(tag.ExitCode == 0, tag.ToString());
        Assert.Contains("Tagged latest", tag.Stdout, StringComparison.Ordinal);
        Assert.Equal(digest, resolve.Stdout.Trim());
        Assert.Equal($"{registry.Host}/tr/art@{digest}", full.Stdout.Trim());
        Assert.Equal(1, missing.ExitCode);
    }
}
