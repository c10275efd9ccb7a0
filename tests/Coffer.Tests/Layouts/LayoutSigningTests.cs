using Coffer.Testing.Sigstore.Servers;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Layouts;

/// <summary>Signed push, sign, verify and verified pull with an OCI layout, through a private Sigstore.</summary>
public sealed class LayoutSigningTests : IAsyncLifetime
{
    private const string Identity =
        "https://github.com/coffer-test/example/.github/workflows/release.yml@refs/heads/main";

    private TestSigstoreStack _stack = null!;

    public async Task InitializeAsync() => _stack = await TestSigstoreStack.StartAsync();

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    private string[] SignFlags =>
        ["--signing-config", _stack.SigningConfigPath, "--trusted-root", _stack.TrustedRootPath];

    private string[] Policy => ["--trusted-root", _stack.TrustedRootPath, "--certificate-identity", Identity,
        "--certificate-oidc-issuer", _stack.Issuer.Issuer];

    [Fact]
    public async Task SignedPush_VerifiedPull_AndAnUnsignedOverwriteIsRefused()
    {
        using var runner = Runner();
        runner.WriteFile("state.json", "{\"build\":42}"u8.ToArray());

        var push = await runner.RunAsync(["push", "--oci-layout", "--sign", .. SignFlags, "layout:latest",
            "state.json"]);
        var pull = await runner.RunAsync(["pull", "--oci-layout", "--verify", .. Policy, "layout:latest", "-o", "out"]);
        var verify = await runner.RunAsync(["verify", "--oci-layout", .. Policy, "layout:latest"]);
        runner.WriteFile("state.json", "{\"build\":666}"u8.ToArray());
        var forged = await runner.RunAsync("push", "--oci-layout", "layout:latest", "state.json");
        var refused = await runner.RunAsync(
            ["pull", "--oci-layout", "--verify", .. Policy, "layout:latest", "-o", "forged"]);

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains("Pushed [oci-layout] layout:latest", push.Stdout, StringComparison.Ordinal);
        Assert.Contains("Signature: sha256:", push.Stdout, StringComparison.Ordinal);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains($"Signer: {Identity}", pull.Stdout, StringComparison.Ordinal);
        Assert.Equal("{\"build\":42}", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out", "state.json")));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("Verified [oci-layout] layout@sha256:", verify.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, forged.ExitCode);
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("no Sigstore signature in the layout", refused.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(runner.WorkingDirectory, "forged")));
    }

    [Fact]
    public async Task Sign_AnArtifactAlreadyInTheLayout_ThenVerifyWithTheKey()
    {
        using var runner = Runner();
        runner.Environment["COSIGN_PASSWORD"] = "layout-test";
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var keys = await runner.RunAsync("generate-key-pair", "--output-key-prefix", "release");
        var push = await runner.RunAsync("push", "--oci-layout", "layout:v1", "a.txt");

        var unsigned = await runner.RunAsync("verify", "--oci-layout", "--key", "release.pub", "--trusted-root",
            _stack.TrustedRootPath, "layout:v1");
        var sign = await runner.RunAsync(["sign", "--oci-layout", "--key", "release.key", .. SignFlags, "layout:v1"]);
        var verify = await runner.RunAsync("verify", "--oci-layout", "--key", "release.pub", "--trusted-root",
            _stack.TrustedRootPath, "layout:v1");
        var discover = await runner.RunAsync("discover", "--oci-layout", "layout:v1");

        Assert.Equal(0, keys.ExitCode);
        Assert.Equal(0, push.ExitCode);
        Assert.Equal(3, unsigned.ExitCode);
        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.Contains("Signed [oci-layout] layout@sha256:", sign.Stdout, StringComparison.Ordinal);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("application/vnd.dev.sigstore.bundle.v0.3+json", discover.Stdout, StringComparison.Ordinal);
    }

    private CofferRunner Runner()
    {
        var runner = new CofferRunner();
        foreach (var (name, value) in _stack.GitHubActionsEnvironment)
        {
            runner.Environment[name] = value;
        }

        return runner;
    }
}
