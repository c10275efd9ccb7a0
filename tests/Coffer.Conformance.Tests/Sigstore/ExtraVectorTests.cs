using System.Text.Json;
using Coffer.Signing.Bundles;
using Coffer.Signing.Trust;
using Coffer.Signing.Verification;

namespace Coffer.Conformance.Tests.Sigstore;

/// <summary>The extra vectors the vectors README lists: sigstore-go bundles and a cosign attestation.</summary>
public sealed class ExtraVectorTests
{
    private const string GitHubOAuth = "https://github.com/login/oauth";

    [Fact]
    public void SigstoreGo_DsseWithTwoSignatures_IsRejected()
    {
        var error = Assert.Throws<VerificationException>(() => Verify(
            "dsse-2sigs", "public-good.json", SubjectDigest("dsse-2sigs"),
            VerificationPolicy.ForIdentity("brian@dehamer.com", GitHubOAuth)));

        Assert.Equal(VerificationStep.BundleStructure, error.Step);
        Assert.Contains("exactly one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SigstoreGo_DsseShippingItsRootInTheChain_IsRejected()
    {
        // This older bundle carries the Fulcio root in x509CertificateChain. Coffer follows the
        // conformance rule (bundle-with-root-cert_fail): a bundle that ships a root is refused.
        var error = Assert.Throws<VerificationException>(() => Verify("dsse", "public-good.json",
            SubjectDigest("dsse"), VerificationPolicy.ForIdentity("brian@dehamer.com", GitHubOAuth)));

        Assert.Equal(VerificationStep.Certificate, error.Step);
        Assert.Contains("self-signed root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SigstoreGo_OtherNameSan_VerifiesAgainstScaffolding()
    {
        var bundle = BundleSerializer.ReadFile(Bundle("othername"));
        var digest = "sha256:" + Convert.ToHexStringLower(bundle.MessageSignature!.MessageDigest!.Digest!);

        var result = Verify("othername", "scaffolding.json", VerificationArtifact.FromDigest(digest),
            VerificationPolicy.ForIdentity("foo!oidc.local", "http://oidc.local:8080"));

        Assert.Equal("foo!oidc.local", result.SignerIdentity);
    }

    [Fact]
    public void SigstoreGo_PublicKeyValidity_VerifiesWithTheKeyAndItsTimestamp()
    {
        var result = Verify("public-key-validity", "public-key-validity.json",
            VerificationArtifact.FromBytes("test content"u8), KeyPolicy());

        var time = Assert.Single(result.VerifiedTimes);
        Assert.Equal(TimestampSource.TimestampAuthority, time.Source);
        Assert.Empty(result.LogEntries);
    }

    [Fact]
    public void SigstoreGo_PublicKeyValidity_OutsideTheKeyWindow_IsRejected()
    {
        var policy = KeyPolicy() with
        {
            PublicKeyValidFor = new ValidityPeriod
            {
                Start = DateTimeOffset.FromUnixTimeSeconds(0),
                End = DateTimeOffset.FromUnixTimeSeconds(1),
            },
        };

        var error = Assert.Throws<VerificationException>(() => Verify(
            "public-key-validity", "public-key-validity.json", VerificationArtifact.FromBytes("test content"u8),
            policy));

        Assert.Equal(VerificationStep.KeyValidity, error.Step);
    }

    [Fact]
    public void SigstoreJs_NpmProvenance_VerifiesBySha512Subject()
    {
        var result = Verify("sigstore.js@2.0.0-provenance", "public-good.json",
            SubjectDigest("sigstore.js@2.0.0-provenance"),
            VerificationPolicy.GitHubWorkflow("sigstore/sigstore-js/.github/workflows/release.yml@main"));

        Assert.Equal("https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main",
            result.SignerIdentity);
        Assert.Equal("pkg:npm/sigstore@2.0.0", result.Statement!.Subject![0].Name);
    }

    [Fact]
    public void Cosign_OciAttestation_VerifiesForTheImageDigest()
    {
        var folder = VectorFolder.File("extra", "cosign-oci-attestation", "bundle.sigstore.json");
        var root = TrustedRootSerializer.ReadFile(
            VectorFolder.File("extra", "cosign-oci-attestation", "trusted_root.json"));

        var result = new BundleVerifier(root).Verify(File.ReadAllBytes(folder),
            VerificationArtifact.FromDigest("sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4"),
            VerificationPolicy.ForIdentity("cody@soyland.com", GitHubOAuth));

        Assert.Equal("https://cosign.sigstore.dev/attestation/v1", result.Statement!.PredicateType);
    }

    [Fact]
    public void Cosign_OciAttestation_ForAnotherImage_IsRejected()
    {
        var folder = VectorFolder.File("extra", "cosign-oci-attestation", "bundle.sigstore.json");
        var root = TrustedRootSerializer.ReadFile(
            VectorFolder.File("extra", "cosign-oci-attestation", "trusted_root.json"));

        var verifier = new BundleVerifier(root);

        var error = Assert.Throws<VerificationException>(() => verifier.Verify(File.ReadAllBytes(folder),
            VerificationArtifact.FromDigest("sha256:" + new string('0', 64)),
            VerificationPolicy.ForIdentity("cody@soyland.com", GitHubOAuth)));

        Assert.Equal(VerificationStep.Artifact, error.Step);
    }

    [Theory]
    [InlineData("trusted-roots", "production-public-good.trusted_root.json")]
    [InlineData("trusted-roots", "staging.trusted_root.json")]
    [InlineData("extra", "sigstore-go", "trusted-roots", "public-good.json")]
    [InlineData("extra", "sigstore-go", "trusted-roots", "scaffolding.json")]
    public void TrustedRoots_Parse(params string[] path)
    {
        var root = TrustedRootSerializer.ReadFile(VectorFolder.File(path));

        Assert.NotEmpty(root.Tlogs.Concat(root.Ctlogs));
    }

    private static VerificationResult Verify(string bundle, string root, VerificationArtifact artifact,
        VerificationPolicy policy)
    {
        var trust = TrustedRootSerializer.ReadFile(VectorFolder.File("extra", "sigstore-go", "trusted-roots", root));
        return new BundleVerifier(trust).Verify(File.ReadAllBytes(Bundle(bundle)), artifact, policy);
    }

    private static VerificationPolicy KeyPolicy() =>
        VerificationPolicy.ForPublicKeyPem(File.ReadAllText(
            VectorFolder.File("extra", "sigstore-go", "public-keys", "public-key-validity.pem"))) with
        {
            TransparencyLogThreshold = 0,
            SignedTimestampThreshold = 1,
        };

    private static string Bundle(string name) =>
        VectorFolder.File("extra", "sigstore-go", "bundles", $"{name}.sigstore.json");

    private static VerificationArtifact SubjectDigest(string name)
    {
        var bundle = JsonDocument.Parse(File.ReadAllBytes(Bundle(name)));
        var envelope = bundle.RootElement.GetProperty("dsseEnvelope");
        var payload = Convert.FromBase64String(envelope.GetProperty("payload").GetString()!);
        using var statement = JsonDocument.Parse(payload);
        var digest = statement.RootElement.GetProperty("subject")[0].GetProperty("digest");
        var (algorithm, value) = digest.TryGetProperty("sha512", out var sha512)
            ? ("sha512", sha512.GetString())
            : ("sha256", digest.GetProperty("sha256").GetString());
        bundle.Dispose();
        return VerificationArtifact.FromDigest($"{algorithm}:{value}");
    }

}
