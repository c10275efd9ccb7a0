using System.Text.Json;
using Coffer.Testing;
using Coffer.Testing.Sigstore.Servers;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Output;

/// <summary>
/// The exact <c>--format json</c> document of each signing command, pinned by a golden file. Each test has
/// its own private Sigstore (so log indexes start afresh) and registry. Besides the addresses and paths,
/// what a signature makes new on every run is replaced: the signature referrer's digest, the signing
/// times, and a generated key's fingerprint.
/// </summary>
public sealed class SigningJsonGoldenTests : IAsyncLifetime
{
    private const string Identity =
        "https://github.com/coffer-test/example/.github/workflows/release.yml@refs/heads/main";

    private TestSigstoreStack _stack = null!;
    private RegistryServer _registry = null!;

    public async Task InitializeAsync()
    {
        _stack = await TestSigstoreStack.StartAsync();
        _registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        await _stack.DisposeAsync();
    }

    // The stack's signing config names every service, so nothing defaults to a public one.
    private string[] Services =>
        ["--signing-config", _stack.SigningConfigPath, "--trusted-root", _stack.TrustedRootPath];

    private string[] Policy => ["--trusted-root", _stack.TrustedRootPath, "--certificate-identity", Identity,
        "--certificate-oidc-issuer", _stack.Issuer.Issuer];

    [Fact]
    public async Task PushSigned()
    {
        using var runner = Runner();

        var push = await Run(runner, ["push", "--plain-http", "--reproducible", "--format", "json", "--sign",
            .. Services, $"{_registry.Host}/golden/signed:v1", "a.txt"]);

        Match("push-signed.json", push, runner, Signature(push));
    }

    [Fact]
    public async Task PullVerified()
    {
        using var runner = Runner();
        var reference = await PushSignedAsync(runner, "golden/pull-verified:v1");

        var pull = await Run(runner, ["pull", "--plain-http", "--format", "json", "--verify", .. Policy,
            reference, "-o", "out"]);

        Match("pull-verified.json", pull, runner, Verified(pull, "verified"));
    }

    [Fact]
    public async Task Sign()
    {
        using var runner = Runner();
        var reference = $"{_registry.Host}/golden/sign:v1";
        await Run(runner, "push", "--plain-http", "--reproducible", reference, "a.txt");

        var sign = await Run(runner, ["sign", "--plain-http", "--format", "json", .. Services, reference]);

        Match("sign.json", sign, runner, Signature(sign));
    }

    [Fact]
    public async Task Verify()
    {
        using var runner = Runner();
        var reference = await PushSignedAsync(runner, "golden/verify:v1");

        var verify = await Run(runner, ["verify", "--plain-http", "--format", "json", .. Policy, reference]);

        Match("verify.json", verify, runner, Verified(verify, "verified"));
    }

    [Fact]
    public async Task SignBlobAndVerifyBlob()
    {
        using var runner = Runner();

        var sign = await Run(runner, ["sign-blob", "--format", "json", .. Services, "a.txt", "--bundle", "a.json"]);
        var verify = await Run(runner, ["verify-blob", "--format", "json", .. Policy, "a.txt", "--bundle", "a.json"]);

        Match("sign-blob.json", sign, runner);
        Match("verify-blob.json", verify, runner, Verified(verify, "verified"));
    }

    [Fact]
    public async Task VerifyBlobWithKey()
    {
        using var runner = Runner();
        runner.Environment["COSIGN_PASSWORD"] = "golden";
        await Run(runner, "generate-key-pair");
        await Run(runner, ["sign-blob", "--key", "cosign.key", .. Services, "a.txt", "--bundle", "a.json"]);

        var verify = await Run(runner, "verify-blob", "--format", "json", "--key", "cosign.pub", "--trusted-root",
            _stack.TrustedRootPath, "a.txt", "--bundle", "a.json");

        Match("verify-blob-key.json", verify, runner, Verified(verify, "verified"));
    }

    private CofferRunner Runner()
    {
        var runner = new CofferRunner();
        foreach (var (name, value) in _stack.GitHubActionsEnvironment)
        {
            runner.Environment[name] = value;
        }

        runner.WriteFile("a.txt", "hello, coffer\n"u8.ToArray());
        return runner;
    }

    private async Task<string> PushSignedAsync(CofferRunner runner, string repositoryAndTag)
    {
        var reference = $"{_registry.Host}/{repositoryAndTag}";
        await Run(runner, ["push", "--plain-http", "--reproducible", "--sign", .. Services, reference, "a.txt"]);
        return reference;
    }

    private static async Task<CliResult> Run(CofferRunner runner, params string[] args)
    {
        var result = await runner.RunAsync(args);
        Assert.True(result.ExitCode == 0, $"coffer {string.Join(' ', args)}\n{result}");
        return result;
    }

    private void Match(string name, CliResult result, CofferRunner runner, params (string, string)[] more)
        => GoldenFile.AssertMatches(name, result.Stdout,
        [
            (_registry.Host, "<registry>"),
            (_stack.Issuer.Issuer, "<issuer>"),
            (_stack.Rekor.Url, "<rekor>"),
            (_stack.Tsa.Url, "<tsa>"),
            (runner.WorkingDirectory, "<work>"),
            (runner.Root, "<root>"),
            .. more,
        ]);

    private static (string, string)[] Signature(CliResult result)
    {
        using var document = JsonDocument.Parse(result.Stdout);
        return [(document.RootElement.GetProperty("signature").GetString()!, "<signature>")];
    }

    // The signature referrer, the key and the times differ on every run; the rest is pinned.
    private static (string, string)[] Verified(CliResult result, string property)
    {
        using var document = JsonDocument.Parse(result.Stdout);
        var verified = document.RootElement.GetProperty(property);
        var values = new List<(string, string)>();
        if (verified.TryGetProperty("signature", out var signature))
        {
            values.Add((signature.GetString()!, "<signature>"));
        }

        if (verified.TryGetProperty("key", out var key))
        {
            values.Add((key.GetString()!, "<key>"));
        }

        values.AddRange(verified.GetProperty("signedAt").EnumerateArray()
            .Select(t => (t.GetProperty("time").GetString()!, "<time>")));
        return [.. values];
    }
}
