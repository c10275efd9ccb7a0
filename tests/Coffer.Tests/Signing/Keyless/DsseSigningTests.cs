using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coffer.Signing.Bundles;
using Coffer.Signing.Keys;
using Coffer.Signing.Verification;
using Coffer.Testing.Sigstore.Servers;

namespace Coffer.Tests.Signing.Keyless;

public sealed class DsseSigningTests(SigstoreStackFixture fixture) : IClassFixture<SigstoreStackFixture>
{
    private const string WorkflowIdentity =
        "https://github.com/coffer-test/example/.github/workflows/release.yml@refs/heads/main";

    private static readonly byte[] Artifact = Encoding.UTF8.GetBytes("coffer attested artifact\n");

    private TestSigstoreStack Stack => fixture.Stack;

    [Fact]
    public async Task SignStatement_Keyless_LogsADsseEntryAndVerifiesBySubject()
    {
        using var signer = fixture.Keyless(Stack.GitHubActionsEnvironment, verifyWith: Stack.TrustedRoot());

        var bundle = await signer.SignStatementAsync(Statement());

        Assert.Null(bundle.MessageSignature);
        var envelope = bundle.DsseEnvelope!;
        Assert.Equal(DsseEnvelope.InTotoPayloadType, envelope.PayloadType);
        var entry = Assert.Single(bundle.VerificationMaterial!.TlogEntries!);
        Assert.Equal("dsse", entry.KindVersion!.Kind);
        Assert.Equal("0.0.1", entry.KindVersion.Version);
        var body = JsonDocument.Parse(entry.CanonicalizedBody!).RootElement.GetProperty("spec");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(envelope.Payload!)),
            body.GetProperty("payloadHash").GetProperty("value").GetString());
        var result = new BundleVerifier(Stack.TrustedRoot()).Verify(
            bundle,
            VerificationArtifact.FromBytes(Artifact),
            VerificationPolicy.ForIdentity(WorkflowIdentity, Stack.Issuer.Issuer));
        Assert.Equal(WorkflowIdentity, result.SignerIdentity);
    }

    [Fact]
    public async Task SignStatement_WithKey_VerifiesWithThePublicKey()
    {
        using var key = EcdsaSigner.Generate();
        using var signer = fixture.WithKey(key);

        var bundle = await signer.SignStatementAsync(Statement());

        var json = BundleSerializer.SerializeToUtf8Bytes(bundle);
        new BundleVerifier(Stack.TrustedRoot()).Verify(
            json, VerificationArtifact.FromBytes(Artifact), VerificationPolicy.ForPublicKeyPem(key.PublicKeyPem));
        Assert.Throws<VerificationException>(() => new BundleVerifier(Stack.TrustedRoot()).Verify(
            json, VerificationArtifact.FromBytes("other"u8), VerificationPolicy.ForPublicKeyPem(key.PublicKeyPem)));
    }

    private static InTotoStatement Statement() => new()
    {
        Type = InTotoStatement.StatementTypeV1,
        Subject =
        [
            new InTotoSubject
            {
                Name = "artifact.txt",
                Digest = new Dictionary<string, string>
                {
                    ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Artifact)),
                },
            },
        ],
        PredicateType = "https://coffer.test/predicate/v1",
        Predicate = JsonDocument.Parse("""{"built":"yes"}""").RootElement.Clone(),
    };
}
