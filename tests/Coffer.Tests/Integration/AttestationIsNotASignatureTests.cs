using Coffer.Artifacts;
using Coffer.Registry;
using Coffer.Signing.Bundles;
using Coffer.Signing.Keys;
using Coffer.Signing.Oci;
using Coffer.Signing.Services;
using Coffer.Signing.Signers;
using Coffer.Signing.Trust;
using Coffer.Signing.Verification;
using Coffer.Testing;

namespace Coffer.Tests.Integration;

/// <summary>An SBOM attestation by the trusted key says something about the artifact; it does not approve it.</summary>
public sealed class AttestationIsNotASignatureTests
{
    [Fact]
    public async Task Verify_OnlyAnAttestationFromTheTrustedKey_IsRefused()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var folder = new Cli.CofferRunner();
        folder.WriteFile("a.txt", "a"u8.ToArray());
        var reference = Reference.Parse($"{registry.Host}/attest/art:v1");
        using var client = new RegistryClient(reference, new RegistryClientOptions { PlainHttp = true }, write: true);
        var pushed = await new ArtifactPusher(client.Repository!).PushAsync(
            new PushRequest { Files = [new FileReference("a.txt", null)], WorkingDirectory = folder.WorkingDirectory },
            ["v1"]);
        using var key = EcdsaSigner.Generate();
        using var signer = new BundleSigner(new BundleSignerOptions
        {
            Services = new SigningServices(null, null, null),
            Key = key,
            UploadToTransparencyLog = false,
        });
        var statement = new InTotoStatement
        {
            Type = InTotoStatement.StatementTypeV1,
            PredicateType = "https://example.com/sbom/v1",
            Subject = [new InTotoSubject { Name = "art", Digest = new() { ["sha256"] = pushed.Manifest.Digest[7..] } }],
        };
        var bundle = await signer.SignStatementAsync(statement);
        var signatures = new OciSignatures(client.Repository!, new Referrers(client.Repository!));
        await signatures.AttachAsync(pushed.Manifest, bundle, "attest");
        var policy = VerificationPolicy.ForPublicKey(key.PublicKey.SubjectPublicKeyInfo.Span) with
        {
            TransparencyLogThreshold = 0,
        };

        var error = await Assert.ThrowsAsync<VerificationException>(() => signatures.VerifyAsync(
            pushed.Manifest, new BundleVerifier(TrustedRootSerializer.PublicGood), policy, "verify"));

        Assert.Contains("attestation", error.Message, StringComparison.Ordinal);
    }
}
