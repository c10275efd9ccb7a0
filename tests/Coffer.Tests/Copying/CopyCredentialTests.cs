using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Copying;

/// <summary>
/// A copy whose credential is missing or wrong on one side: the error says which side, and its
/// hint names that side's flags, not the <c>-u</c> of the other commands.
/// </summary>
public sealed class CopyCredentialTests
{
    [Fact]
    public async Task BasicAuth_CredentialForTheSourceOnly_TheErrorNamesTheDestinationsFlags()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Basic);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var push = await runner.PipeAsync(registry.Password, "push", "--plain-http", "-u", registry.Username,
            "--password-stdin", $"{registry.Host}/team/a:v1", "a.txt");
        Assert.True(push.ExitCode == 0, push.ToString());

        var copy = await runner.PipeAsync(registry.Password, "cp", "--from-plain-http", "--from-username",
            registry.Username, "--from-password-stdin", "--to-plain-http",
            $"{registry.Host}/team/a:v1", $"{registry.Host}/mirror/a:v1");

        Assert.Equal(1, copy.ExitCode);
        Assert.Contains($"copy to {registry.Host}/mirror/a:v1", copy.Stderr, StringComparison.Ordinal);
        Assert.Contains("--to-username <user> --to-password-stdin", copy.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("-u <user>", copy.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(registry.Password, copy.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenAuth_WrongDestinationPassword_TheErrorNamesTheDestinationAndItsFlags()
    {
        await using var source = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        await using var destination = await RegistryServer.StartAsync(RegistryMode.Token);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var push = await runner.RunAsync("push", "--plain-http", $"{source.Host}/team/a:v1", "a.txt");
        Assert.True(push.ExitCode == 0, push.ToString());

        var copy = await runner.PipeAsync("not-the-password", "cp", "--from-plain-http", "--to-plain-http",
            "--to-username", destination.Username, "--to-password-stdin",
            $"{source.Host}/team/a:v1", $"{destination.Host}/mirror/a:v1");

        Assert.Equal(1, copy.ExitCode);
        Assert.Contains($"copy to {destination.Host}/mirror/a:v1", copy.Stderr, StringComparison.Ordinal);
        Assert.Contains("--to-username <user> --to-password-stdin", copy.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("-u <user>", copy.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", copy.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokenConfigOfOneSide_TheErrorNamesThatSidesFlags()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Basic);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var push = await runner.PipeAsync(registry.Password, "push", "--plain-http", "-u", registry.Username,
            "--password-stdin", $"{registry.Host}/team/a:v1", "a.txt");
        Assert.True(push.ExitCode == 0, push.ToString());
        var broken = runner.WriteFile("broken.json", "{not json"u8.ToArray());
        var helper = runner.WriteFile("helper.json", "{\"credsStore\":\"coffer-test-absent\"}"u8.ToArray());

        string[] Copy(string config) =>
        [
            "cp", "--from-plain-http", "--from-username", registry.Username, "--from-password-stdin",
            "--to-plain-http", "--to-registry-config", config, $"{registry.Host}/team/a:v1",
            $"{registry.Host}/mirror/a:v1",
        ];
        var badJson = await runner.PipeAsync(registry.Password, Copy(broken));
        var noHelper = await runner.PipeAsync(registry.Password, Copy(helper));

        foreach (var copy in new[] { badJson, noHelper })
        {
            Assert.Equal(1, copy.ExitCode);
            Assert.Contains($"copy to {registry.Host}/mirror/a:v1", copy.Stderr, StringComparison.Ordinal);
            Assert.Contains("--to-registry-config <other file>", copy.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(" --registry-config", copy.Stderr, StringComparison.Ordinal);
        }

        Assert.Contains("--to-username <user> --to-password-stdin", noHelper.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("-u <user>", noHelper.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigFileThatDoesNotExist_IsAUsageErrorNamingTheFlag_ButLoginCreatesTheOneItNames()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Basic);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var login = await runner.PipeAsync(registry.Password, "login", "--plain-http", "-u", registry.Username,
            "--password-stdin", "--allow-plaintext", "--registry-config", "made.json", registry.Host);
        var push = await runner.RunAsync("push", "--plain-http", "--registry-config", "made.json",
            $"{registry.Host}/team/a:v1", "a.txt");

        var pull = await runner.RunAsync("pull", "--plain-http", "--registry-config", "absent.json",
            $"{registry.Host}/team/a:v1", "-o", "out");
        var fromSide = await runner.RunAsync("cp", "--from-plain-http", "--from-registry-config", "absent.json",
            "--to-plain-http", "--to-registry-config", "made.json", $"{registry.Host}/team/a:v1",
            $"{registry.Host}/mirror/a:v1");
        var toSide = await runner.RunAsync("cp", "--from-plain-http", "--from-registry-config", "made.json",
            "--to-plain-http", "--to-registry-config", "absent.json", $"{registry.Host}/team/a:v1",
            $"{registry.Host}/mirror/a:v1");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.True(File.Exists(Path.Combine(runner.WorkingDirectory, "made.json")));
        Assert.True(push.ExitCode == 0, push.ToString());
        var absent = Path.Combine(runner.WorkingDirectory, "absent.json");
        foreach (var (result, flag) in new[]
            { (pull, "--registry-config"), (fromSide, "--from-registry-config"), (toSide, "--to-registry-config") })
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"Error: {flag} absent.json: there is no such file ({absent})", result.Stderr,
                StringComparison.Ordinal);
        }

        Assert.False(File.Exists(absent));
        Assert.False(Directory.Exists(Path.Combine(runner.WorkingDirectory, "out")));
    }

    [Fact]
    public async Task Pull_WithoutACredential_StillNamesTheShortFlags()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Basic);
        using var runner = new CofferRunner();

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/team/a:v1", "-o", "out");

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains($"pull {registry.Host}/team/a:v1: registry {registry.Host} requires a username",
            pull.Stderr, StringComparison.Ordinal);
        Assert.Contains("pass -u <user> --password-stdin", pull.Stderr, StringComparison.Ordinal);
    }
}
