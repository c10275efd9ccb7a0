using System.Security.Cryptography;
using System.Text;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

/// <summary>
/// Per-command credentials go nowhere: after a push and a pull as real processes with
/// <c>--password-stdin</c> and <c>--debug</c>, no file under HOME, DOCKER_CONFIG, TMPDIR or the
/// working folder, and nothing printed, holds the password, its Basic encoding or any token.
/// </summary>
public sealed class LeakTests
{
    [Fact]
    public async Task PushAndPull_PasswordStdinWithDebug_LeaveNoSecretAnywhere()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Token);
        using var runner = new CofferRunner();
        runner.WriteFile("state.json", RandomNumberGenerator.GetBytes(5000));
        var reference = $"{registry.Host}/leak/state:latest";

        var push = await runner.RunProcessAsync(registry.Password + "\n",
            "push", "--debug", "--plain-http", "-u", registry.Username, "--password-stdin", reference, "state.json");
        var pull = await runner.RunProcessAsync(registry.Password + "\n",
            "pull", "--debug", "--plain-http", "-u", registry.Username, "--password-stdin", reference, "-o", "out");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains("--> #", push.Stderr, StringComparison.Ordinal);

        var secrets = new List<string>
        {
            registry.Password,
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{registry.Username}:{registry.Password}")),
        };
        secrets.AddRange(registry.TokenServer!.IssuedTokens);
        Assert.True(registry.TokenServer.IssuedTokens.Count >= 2, "the token server issued no tokens");

        var printed = push.Output + pull.Output;
        var files = new[] { runner.Home, runner.DockerConfig, runner.TempDirectory, runner.WorkingDirectory }
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .ToList();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, printed, StringComparison.Ordinal);
            foreach (var file in files)
            {
                Assert.False(File.ReadAllText(file).Contains(secret, StringComparison.Ordinal),
                    $"{file} holds a secret");
            }
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(runner.DockerConfig));
        Assert.Empty(Directory.EnumerateFileSystemEntries(runner.Home));
    }
}
