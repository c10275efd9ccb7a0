using System.Net.Http.Headers;
using Coffer.Testing;
using Coffer.Testing.Sigstore.Servers;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

/// <summary>
/// Sign at push and verify at pull on the real registry, keyless through a private Sigstore (OIDC
/// issuer, Fulcio, Rekor) and with a cosign key; and every way the registry can be tampered with.
/// </summary>
public sealed class SignedArtifactTests : IAsyncLifetime
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
    private string[] SignFlags => ["--sign", "--signing-config", _stack.SigningConfigPath,
        "--trusted-root", _stack.TrustedRootPath];

    private string[] Policy => ["--trusted-root", _stack.TrustedRootPath, "--certificate-identity", Identity,
        "--certificate-oidc-issuer", _stack.Issuer.Issuer];

    [Fact]
    public async Task PushSignedKeyless_PullVerify_WritesTheFilesAndSaysWhoSigned()
    {
        using var runner = Runner();
        runner.WriteFile("state.json", "{\"build\":42}"u8.ToArray());
        var reference = $"{_registry.Host}/signed/state:latest";

        var push = await runner.RunAsync(["push", "--plain-http", .. SignFlags, reference, "state.json"]);
        var pull = await runner.RunAsync(["pull", "--plain-http", "--verify", .. Policy, reference, "-o", "out"]);
        var verify = await runner.RunAsync(["verify", "--plain-http", .. Policy, reference]);

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains("Signature: sha256:", push.Stdout, StringComparison.Ordinal);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains($"Signer: {Identity}", pull.Stdout, StringComparison.Ordinal);
        Assert.Contains("Log entry:", pull.Stdout, StringComparison.Ordinal);
        Assert.Equal("{\"build\":42}", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out", "state.json")));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.DoesNotContain(_stack.Issuer.ActionsRequestToken, push.Output + pull.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullVerify_AgainstTheProductionRoot_RefusesAndWritesNothing()
    {
        using var runner = Runner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var reference = $"{_registry.Host}/signed/prod:v1";
        var push = await runner.RunAsync(["push", "--plain-http", .. SignFlags, reference, "a.txt"]);

        var pull = await runner.RunAsync("pull", "--plain-http", "--verify", "--certificate-identity", Identity,
            "--certificate-oidc-issuer", _stack.Issuer.Issuer, reference, "-o", "out");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Equal(3, pull.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(runner.WorkingDirectory, "out")));
    }

    [Fact]
    public async Task PullVerify_TagOverwrittenByAnUnsignedPush_IsRefused_WhileAPlainPullWorks()
    {
        using var runner = Runner();
        var reference = $"{_registry.Host}/signed/overwritten:latest";
        runner.WriteFile("a.txt", "genuine"u8.ToArray());
        var push = await runner.RunAsync(["push", "--plain-http", .. SignFlags, reference, "a.txt"]);
        runner.WriteFile("a.txt", "forged"u8.ToArray());
        var attacker = await runner.RunAsync("push", "--plain-http", reference, "a.txt");

        var verified = await runner.RunAsync(["pull", "--plain-http", "--verify", .. Policy, reference, "-o", "out"]);
        var plain = await runner.RunAsync("pull", "--plain-http", reference, "-o", "plain");

        Assert.Equal(0, push.ExitCode);
        Assert.Equal(0, attacker.ExitCode);
        Assert.Equal(3, verified.ExitCode);
        Assert.Contains("no Sigstore signature", verified.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(runner.WorkingDirectory, "out")));
        Assert.Equal(0, plain.ExitCode);
        Assert.Equal("forged", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "plain", "a.txt")));
    }

    [Fact]
    public async Task PullVerify_SignedByAnotherIdentity_IsRefused()
    {
        using var runner = Runner();
        var reference = $"{_registry.Host}/signed/other:v1";
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var push = await runner.RunAsync(["push", "--plain-http", .. SignFlags, reference, "a.txt"]);

        var pull = await runner.RunAsync("pull", "--plain-http", "--verify", "--trusted-root", _stack.TrustedRootPath,
            "--certificate-identity", Identity.Replace("release.yml", "evil.yml", StringComparison.Ordinal),
            "--certificate-oidc-issuer", _stack.Issuer.Issuer, reference, "-o", "out");

        Assert.Equal(0, push.ExitCode);
        Assert.Equal(3, pull.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(runner.WorkingDirectory, "out")));
    }

    [Fact]
    public async Task PullVerify_SignatureReferrerDeleted_IsRefused()
    {
        using var runner = Runner();
        var reference = $"{_registry.Host}/signed/deleted:v1";
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var push = await runner.RunAsync(["push", "--plain-http", .. SignFlags, reference, "a.txt"]);
        var digest = Field(push, "Digest");
        await DeleteReferrersIndexAsync("signed/deleted", digest);

        var pull = await runner.RunAsync(["pull", "--plain-http", "--verify", .. Policy, reference, "-o", "out"]);

        Assert.Equal(3, pull.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(runner.WorkingDirectory, "out")));
    }

    [Fact]
    public async Task PullVerify_BundleOfAnotherArtifactAttached_IsRefused()
    {
        using var runner = Runner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var signed = await runner.RunAsync(
            ["push", "--plain-http", .. SignFlags, $"{_registry.Host}/signed/a:v1", "a.txt"]);
        var signatureDigest = Field(signed, "Signature");
        runner.WriteFile("b.txt", "b"u8.ToArray());
        var unsigned = await runner.RunAsync("push", "--plain-http", $"{_registry.Host}/signed/a:v2", "b.txt");
        var bDigest = Field(unsigned, "Digest");

        // The attacker lists a's signature under b's referrers tag.
        await CopyReferrerIndexAsync("signed/a", signatureDigest, bDigest);
        var pull = await runner.RunAsync(
            ["pull", "--plain-http", "--verify", .. Policy, $"{_registry.Host}/signed/a:v2",
            "-o", "out"]);

        Assert.Equal(3, pull.ExitCode);
        Assert.Contains("subject", pull.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(runner.WorkingDirectory, "out")));
    }

    [Fact]
    public async Task KeyPair_SignBlobAndVerifyBlob_RoundTripWithTheFileAndItsDigest()
    {
        using var runner = Runner();
        runner.Environment["COSIGN_PASSWORD"] = "correct horse";
        var path = runner.WriteFile("release.tar", "release bytes"u8.ToArray());
        var digest = "sha256:" + Convert.ToHexStringLower(
            System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

        var keys = await runner.RunAsync("generate-key-pair", "--output-key-prefix", "release");
        var sign = await runner.RunAsync("sign-blob", "--key", "release.key", "--signing-config",
            _stack.SigningConfigPath, "release.tar", "--bundle", "release.tar.sigstore.json");
        var byFile = await runner.RunAsync(
            "verify-blob", "--key", "release.pub", "--trusted-root", _stack.TrustedRootPath,
            "release.tar", "--bundle", "release.tar.sigstore.json");
        var byDigest = await runner.RunAsync(
            "verify-blob", "--key", "release.pub", "--trusted-root", _stack.TrustedRootPath,
            digest, "--bundle", "release.tar.sigstore.json");
        runner.WriteFile("release.tar", "tampered bytes"u8.ToArray());
        var tampered = await runner.RunAsync("verify-blob", "--key", "release.pub", "--trusted-root",
            _stack.TrustedRootPath, "release.tar", "--bundle", "release.tar.sigstore.json");

        Assert.True(keys.ExitCode == 0, keys.ToString());
        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.True(byFile.ExitCode == 0, byFile.ToString());
        Assert.Contains("Verified OK", byFile.Stdout, StringComparison.Ordinal);
        Assert.True(byDigest.ExitCode == 0, byDigest.ToString());
        Assert.Equal(3, tampered.ExitCode);
    }

    [Fact]
    public async Task PushSignedWithKey_VerifyWithTheWrongKey_IsRefused()
    {
        using var runner = Runner();
        runner.Environment["COSIGN_PASSWORD"] = "pw";
        await runner.RunAsync("generate-key-pair", "--output-key-prefix", "one");
        await runner.RunAsync("generate-key-pair", "--output-key-prefix", "two");
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var reference = $"{_registry.Host}/signed/keyed:v1";

        var push = await runner.RunAsync("push", "--plain-http", "--sign", "--key", "one.key", "--signing-config",
            _stack.SigningConfigPath, reference, "a.txt");
        var right = await runner.RunAsync("verify", "--plain-http", "--key", "one.pub", "--trusted-root",
            _stack.TrustedRootPath, reference);
        var wrong = await runner.RunAsync("pull", "--plain-http", "--verify", "--key", "two.pub", "--trusted-root",
            _stack.TrustedRootPath, reference, "-o", "out");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(right.ExitCode == 0, right.ToString());
        Assert.Contains("Key: ", right.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, wrong.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(runner.WorkingDirectory, "out")));
    }

    [Fact]
    public async Task SignatureReplacedByTheAttackersOwn_IsRefused()
    {
        using var runner = Runner();
        runner.Environment["COSIGN_PASSWORD"] = "pw";
        await runner.RunAsync("generate-key-pair", "--output-key-prefix", "owner");
        await runner.RunAsync("generate-key-pair", "--output-key-prefix", "attacker");
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var reference = $"{_registry.Host}/signed/replaced:v1";
        string[] offline = ["--tlog-upload=false"];
        var push = await runner.RunAsync(["push", "--plain-http", "--sign", "--key", "owner.key", .. offline, reference,
            "a.txt"]);
        var owners = Field(push, "Signature");
        var subject = Field(push, "Digest");
        var before = await runner.RunAsync("verify", "--plain-http", "--key", "owner.pub", "--insecure-ignore-tlog",
            reference);
        var strict = await runner.RunAsync("verify", "--plain-http", "--key", "owner.pub", reference);
        var sign = await runner.RunAsync(["sign", "--plain-http", "--key", "attacker.key", .. offline, reference]);
        await RemoveFromReferrersIndexAsync("signed/replaced", subject, owners);

        var pull = await runner.RunAsync("pull", "--plain-http", "--verify", "--key", "owner.pub",
            "--insecure-ignore-tlog", reference, "-o", "out");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Equal(3, strict.ExitCode);
        Assert.True(strict.Stderr.Contains("verify with --insecure-ignore-tlog", StringComparison.Ordinal),
            strict.Stderr);
        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.Equal(3, pull.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(runner.WorkingDirectory, "out")));
    }

    [Fact]
    public async Task SignBlobKeyless_VerifyBlobWithTheWorkflowIdentity()
    {
        using var runner = Runner();
        runner.WriteFile("notes.txt", "release notes"u8.ToArray());

        var sign = await runner.RunAsync("sign-blob", "--signing-config", _stack.SigningConfigPath, "--trusted-root",
            _stack.TrustedRootPath, "notes.txt", "--bundle", "notes.sigstore.json");
        var verify = await runner.RunAsync(["verify-blob", .. Policy, "notes.txt", "--bundle", "notes.sigstore.json"]);
        var regexp = await runner.RunAsync("verify-blob", "--trusted-root", _stack.TrustedRootPath,
            "--certificate-identity-regexp", "https://github\\.com/coffer-test/.*", "--certificate-oidc-issuer",
            _stack.Issuer.Issuer, "notes.txt", "--bundle", "notes.sigstore.json");
        var noPolicy = await runner.RunAsync("verify-blob", "--trusted-root", _stack.TrustedRootPath, "notes.txt",
            "--bundle", "notes.sigstore.json");

        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains($"Signer: {Identity}", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("Signed at:", verify.Stdout, StringComparison.Ordinal);
        Assert.True(regexp.ExitCode == 0, regexp.ToString());
        Assert.Equal(2, noPolicy.ExitCode);
        Assert.DoesNotContain(_stack.Issuer.ActionsRequestToken, sign.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyBlob_RunAsItsOwnProcess_VerifiesAKeylessBundleAndRefusesAChangedFile()
    {
        using var runner = Runner();
        runner.WriteFile("notes.txt", "release notes"u8.ToArray());
        var sign = await runner.RunAsync("sign-blob", "--signing-config", _stack.SigningConfigPath, "--trusted-root",
            _stack.TrustedRootPath, "notes.txt", "--bundle", "notes.sigstore.json");

        // A process of its own skips the OS trust store; the chain still has to lead to the trusted root.
        var verify = await runner.RunProcessAsync("",
            ["verify-blob", .. Policy, "notes.txt", "--bundle", "notes.sigstore.json"]);
        runner.WriteFile("notes.txt", "release notes, changed"u8.ToArray());
        var changed = await runner.RunProcessAsync("",
            ["verify-blob", .. Policy, "notes.txt", "--bundle", "notes.sigstore.json"]);

        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("Verified OK", verify.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, changed.ExitCode);
    }

    private async Task RemoveFromReferrersIndexAsync(string repository, string subject, string referrer)
    {
        using var http = new HttpClient();
        var tag = subject.Replace(':', '-');
        using var request = new HttpRequestMessage(
            HttpMethod.Get, new Uri(_registry.BaseUri, $"/v2/{repository}/manifests/{tag}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.index.v1+json"));
        using var response = await http.SendAsync(request);
        var index = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var manifests = index["manifests"]!.AsArray();
        foreach (var entry in manifests.Where(m => m!["digest"]!.GetValue<string>() == referrer).ToList())
        {
            manifests.Remove(entry);
        }

        using var content = new StringContent(index.ToJsonString());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.index.v1+json");
        using var put = await http.PutAsync(new Uri(_registry.BaseUri, $"/v2/{repository}/manifests/{tag}"), content);
        put.EnsureSuccessStatusCode();
    }

    private static string Field(CliResult result, string name) =>
        result.Stdout.Split('\n')
            .Single(l => l.StartsWith(name + ": ", StringComparison.Ordinal))[(name.Length + 2)..]
            .Trim();

    private CofferRunner Runner()
    {
        var runner = new CofferRunner();
        foreach (var (name, value) in _stack.GitHubActionsEnvironment)
        {
            runner.Environment[name] = value;
        }

        return runner;
    }

    private async Task DeleteReferrersIndexAsync(string repository, string subject)
    {
        using var http = new HttpClient();
        var tag = subject.Replace(':', '-');
        using var head = new HttpRequestMessage(
            HttpMethod.Head, new Uri(_registry.BaseUri, $"/v2/{repository}/manifests/{tag}"));
        head.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.index.v1+json"));
        using var found = await http.SendAsync(head);
        found.EnsureSuccessStatusCode();
        var digest = found.Headers.GetValues("Docker-Content-Digest").Single();
        using var deleted = await http.DeleteAsync(new Uri(_registry.BaseUri, $"/v2/{repository}/manifests/{digest}"));
        deleted.EnsureSuccessStatusCode();
    }

    private async Task CopyReferrerIndexAsync(string repository, string referrer, string subject)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(
            HttpMethod.Get, new Uri(_registry.BaseUri, $"/v2/{repository}/manifests/{referrer}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        using var response = await http.SendAsync(request);
        var size = (await response.Content.ReadAsByteArrayAsync()).Length;
        var index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[" +
            "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + referrer +
            "\",\"size\":" + size +
            ",\"artifactType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}]}";
        using var content = new StringContent(index);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.index.v1+json");
        using var put = await http.PutAsync(
            new Uri(_registry.BaseUri, $"/v2/{repository}/manifests/{subject.Replace(':', '-')}"), content);
        put.EnsureSuccessStatusCode();
    }
}
