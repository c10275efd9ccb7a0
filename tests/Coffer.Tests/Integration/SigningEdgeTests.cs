using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

/// <summary>What a first user of the signing commands tried, offline, with cosign keys.</summary>
public sealed class SigningEdgeTests : IAsyncLifetime
{
    private RegistryServer _registry = null!;

    public async Task InitializeAsync() => _registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Theory]
    [InlineData("--tlog-upload=no")]
    [InlineData("--tlog-upload=0")]
    [InlineData("--tlog-upload=")]
    public async Task Switch_WithAValueOtherThanTrueOrFalse_IsAUsageError(string flag)
    {
        using var runner = await KeyedRunnerAsync();

        var sign = await runner.RunAsync("sign", "--plain-http", "--key", "k.key", flag, $"{_registry.Host}/edge/a:v1");

        Assert.Equal(2, sign.ExitCode);
        Assert.Contains("takes true or false", sign.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushSign_WrongKeyPassword_FailsBeforeTheTagMoves()
    {
        using var runner = await KeyedRunnerAsync();
        runner.WriteFile("a.txt", "first"u8.ToArray());
        var reference = $"{_registry.Host}/edge/tag:v1";
        var first = await runner.RunAsync("push", "--plain-http", "--sign", "--key", "k.key", "--tlog-upload=false",
            reference, "a.txt");
        runner.WriteFile("a.txt", "second"u8.ToArray());
        runner.Environment["COSIGN_PASSWORD"] = "not the password";

        var second = await runner.RunAsync("push", "--plain-http", "--sign", "--key", "k.key", "--tlog-upload=false",
            reference, "a.txt");
        var pull = await runner.RunAsync("pull", "--plain-http", reference, "-o", "out");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.NotEqual(0, second.ExitCode);
        Assert.Equal(0, pull.ExitCode);
        Assert.Equal("first", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out", "a.txt")));
    }

    [Fact]
    public async Task VerificationFlagsWithoutVerify_AndSigningFlagsWithoutSign_AreUsageErrors()
    {
        using var runner = await KeyedRunnerAsync();
        runner.WriteFile("a.txt", "a"u8.ToArray());

        var pull = await runner.RunAsync("pull", "--plain-http", "--key", "k.pub", $"{_registry.Host}/edge/a:v1");
        var push = await runner.RunAsync(
            "push", "--plain-http", "--key", "k.key", $"{_registry.Host}/edge/a:v1", "a.txt");

        Assert.Equal(2, pull.ExitCode);
        Assert.Contains("without --verify", pull.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, push.ExitCode);
        Assert.Contains("without --sign", push.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_PrivateKeyOrBadRegexp_IsAUsageErrorNotACrash()
    {
        using var runner = await KeyedRunnerAsync();
        runner.WriteFile("f.txt", "f"u8.ToArray());
        runner.WriteFile("f.json", "{}"u8.ToArray());

        var privateKey = await runner.RunAsync("verify-blob", "--key", "k.key", "f.txt", "--bundle", "f.json");
        var regexp = await runner.RunAsync("verify-blob", "--certificate-identity-regexp", "(",
            "--certificate-oidc-issuer", "https://issuer.example", "f.txt", "--bundle", "f.json");

        Assert.Equal(2, privateKey.ExitCode);
        Assert.Contains("not a PEM public key", privateKey.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, regexp.ExitCode);
        Assert.Contains("not a valid regular expression", regexp.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_ForcedReferrersApiOnARegistryWithoutIt_FailsInsteadOfHidingTheSignature()
    {
        using var runner = await KeyedRunnerAsync();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var reference = $"{_registry.Host}/edge/api:v1";
        await runner.RunAsync("push", "--plain-http", reference, "a.txt");

        var sign = await runner.RunAsync("sign", "--plain-http", "--key", "k.key", "--tlog-upload=false",
            "--distribution-spec", "v1.1-referrers-api", reference);

        Assert.Equal(1, sign.ExitCode);
        Assert.Contains("no referrers API", sign.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_ManyAtOnce_AllSucceedAndAllAreListed()
    {
        using var runner = await KeyedRunnerAsync();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var reference = $"{_registry.Host}/edge/many:v1";
        await runner.RunAsync("push", "--plain-http", reference, "a.txt");

        var signs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => runner.RunAsync("sign", "--plain-http",
            "--key", "k.key", "--tlog-upload=false", reference)));
        var discover = await runner.RunAsync("discover", "--plain-http", "--format", "table", reference);

        Assert.All(signs, s => Assert.True(s.ExitCode == 0, s.ToString()));
        foreach (var sign in signs)
        {
            var signature = sign.Stdout.Split('\n')
                .Single(l => l.StartsWith("Signature: ", StringComparison.Ordinal))[11..];
            Assert.Contains(signature.Trim(), discover.Stdout, StringComparison.Ordinal);
        }
    }

    private static async Task<CofferRunner> KeyedRunnerAsync()
    {
        var runner = new CofferRunner();
        runner.Environment["COSIGN_PASSWORD"] = "edge-password";
        var keys = await runner.RunAsync("generate-key-pair", "--output-key-prefix", "k");
        Assert.True(keys.ExitCode == 0, keys.ToString());
        return runner;
    }
}
