using System.Security.Cryptography;
using System.Text;
using Coffer.Errors;
using Coffer.Signing.Bundles;
using Coffer.Signing.Keys;
using Coffer.Signing.Services;
using Coffer.Signing.Trust;
using Coffer.Signing.Verification;
using Coffer.Testing.Sigstore.Servers;

namespace Coffer.Tests.Signing.Keyless;

/// <summary>Bundles the signer makes must pass Coffer's verifier with the stack's root, and only that root.</summary>
public sealed class SignedBundleVerificationTests(SigstoreStackFixture fixture) : IClassFixture<SigstoreStackFixture>
{
    private const string WorkflowIdentity =
        "https://github.com/coffer-test/example/.github/workflows/release.yml@refs/heads/main";

    private static readonly byte[] Artifact = Encoding.UTF8.GetBytes("coffer verified artifact\n");

    private TestSigstoreStack Stack => fixture.Stack;

    [Fact]
    public async Task KeylessBundle_VerifiesAgainstTheStackRoot_WithLogTimeAndTimestamp()
    {
        using var signer = fixture.Keyless(Stack.GitHubActionsEnvironment);
        var json = BundleSerializer.SerializeToUtf8Bytes(await signer.SignDigestAsync(SHA256.HashData(Artifact)));

        var result = new BundleVerifier(TrustedRootSerializer.ReadFile(Stack.TrustedRootPath)).Verify(
            json,
            VerificationArtifact.FromBytes(Artifact),
            VerificationPolicy.ForIdentity(WorkflowIdentity, Stack.Issuer.Issuer) with
            {
                SignedTimestampThreshold = 1,
            });

        Assert.Equal(BundleVersion.V03, result.BundleVersion);
        Assert.Equal(WorkflowIdentity, result.SignerIdentity);
        Assert.Equal(Stack.Issuer.Issuer, result.Issuer);
        Assert.Single(result.LogEntries);
        Assert.Equal(1, result.SignedCertificateTimestamps);
        Assert.Equal(2, result.VerifiedTimes.Count);
    }

    [Fact]
    public async Task SignDigest_WithSelfCheck_PassesWithTheStackRootAndRefusesTheProductionRoot()
    {
        var digest = SHA256.HashData(Artifact);
        using var checkedSigner = fixture.Keyless(Stack.GitHubActionsEnvironment, verifyWith: Stack.TrustedRoot());
        using var misconfigured = fixture.Keyless(
            Stack.GitHubActionsEnvironment, verifyWith: TrustedRootSerializer.PublicGood);

        await checkedSigner.SignDigestAsync(digest);
        var error = await Assert.ThrowsAsync<CofferException>(() => misconfigured.SignDigestAsync(digest));

        Assert.Contains("does not verify against the trusted root", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public async Task KeylessBundle_VerifiesByDigest_AsForAnOciManifest()
    {
        var digest = SHA256.HashData(Artifact);
        using var signer = fixture.Keyless(Stack.GitHubActionsEnvironment);
        var bundle = await signer.SignDigestAsync(digest);

        var result = new BundleVerifier(Stack.TrustedRoot()).Verify(
            bundle,
            VerificationArtifact.FromDigest("sha256:" + Convert.ToHexStringLower(digest)),
            VerificationPolicy.ForIdentity(WorkflowIdentity, Stack.Issuer.Issuer));

        Assert.Equal(WorkflowIdentity, result.SignerIdentity);
    }

    [Fact]
    public async Task KeylessBundle_FailsAgainstTheProductionRoot()
    {
        using var signer = fixture.Keyless(Stack.GitHubActionsEnvironment);
        var json = BundleSerializer.SerializeToUtf8Bytes(await signer.SignDigestAsync(SHA256.HashData(Artifact)));

        Assert.Throws<VerificationException>(() => new BundleVerifier(TrustedRootSerializer.PublicGood).Verify(
            json,
            VerificationArtifact.FromBytes(Artifact),
            VerificationPolicy.ForIdentity(WorkflowIdentity, Stack.Issuer.Issuer)));
    }

    [Fact]
    public async Task KeylessBundle_FailsForAnotherArtifact()
    {
        using var signer = fixture.Keyless(Stack.GitHubActionsEnvironment);
        var bundle = await signer.SignDigestAsync(SHA256.HashData(Artifact));

        Assert.Throws<VerificationException>(() => new BundleVerifier(Stack.TrustedRoot()).Verify(
            bundle,
            VerificationArtifact.FromBytes(Encoding.UTF8.GetBytes("something else")),
            VerificationPolicy.ForIdentity(WorkflowIdentity, Stack.Issuer.Issuer)));
    }

    [Fact]
    public async Task KeylessBundle_FromAShardedLog_VerifiesWithGlobalAndTreeIndexesApart()
    {
        Stack.Rekor.LogIndexOffset = 5_000_000;
        try
        {
            using var signer = fixture.Keyless(Stack.GitHubActionsEnvironment);
            var bundle = await signer.SignDigestAsync(SHA256.HashData(Artifact));

            var entry = Assert.Single(bundle.VerificationMaterial!.TlogEntries!);
            Assert.Equal(entry.InclusionProof!.LogIndex + 5_000_000, entry.LogIndex);
            new BundleVerifier(Stack.TrustedRoot()).Verify(
                bundle,
                VerificationArtifact.FromBytes(Artifact),
                VerificationPolicy.ForIdentity(WorkflowIdentity, Stack.Issuer.Issuer));
        }
        finally
        {
            Stack.Rekor.LogIndexOffset = 0;
        }
    }

    [Fact]
    public async Task KeyBundle_CarriesTheHintAndVerifiesWithThePublicKey()
    {
        using var key = EcdsaSigner.Generate();
        using var signer = fixture.WithKey(key);

        var bundle = await signer.SignDigestAsync(SHA256.HashData(Artifact));

        var material = bundle.VerificationMaterial!;
        Assert.Null(material.Certificate);
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(key.PublicKey.SubjectPublicKeyInfo.Span)),
            material.PublicKey!.Hint);
        var entry = Assert.Single(material.TlogEntries!);
        Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(key.PublicKeyPem)),
            Encoding.UTF8.GetString(entry.CanonicalizedBody!), StringComparison.Ordinal);
        var result = new BundleVerifier(Stack.TrustedRoot()).Verify(
            bundle, VerificationArtifact.FromBytes(Artifact), VerificationPolicy.ForPublicKeyPem(key.PublicKeyPem));
        Assert.Equal(material.PublicKey.Hint, result.KeyHint);
    }

    [Fact]
    public async Task KeyBundle_WithoutTlogUpload_HasOnlyTheTimestamp()
    {
        using var key = EcdsaSigner.Generate();
        using var signer = fixture.WithKey(key, upload: false, verifyWith: Stack.TrustedRoot());
        var before = Stack.Rekor.Size;

        var bundle = await signer.SignDigestAsync(SHA256.HashData(Artifact));

        Assert.Empty(bundle.VerificationMaterial!.TlogEntries!);
        Assert.Single(bundle.VerificationMaterial.TimestampVerificationData!.Rfc3161Timestamps!);
        Assert.Equal(before, Stack.Rekor.Size);
        var policy = VerificationPolicy.ForPublicKeyPem(key.PublicKeyPem);
        var verifier = new BundleVerifier(Stack.TrustedRoot());
        var result = verifier.Verify(bundle, VerificationArtifact.FromBytes(Artifact), policy with
        {
            TransparencyLogThreshold = 0,
            SignedTimestampThreshold = 1,
        });
        Assert.Single(result.VerifiedTimes);
        Assert.Throws<VerificationException>(() => verifier.Verify(
            bundle, VerificationArtifact.FromBytes(Artifact), policy));
    }

    [Fact]
    public async Task KeyBundle_SignedTwice_ReusesTheLoggedEntryOnConflict()
    {
        using var key = EcdsaSigner.Generate();
        var digest = SHA256.HashData(Artifact);
        var signature = key.SignDigest(digest);
        var rekor = new RekorClient(new Uri(Stack.Rekor.Url), fixture.Http);

        var first = await rekor.UploadHashedRekordAsync(digest, signature, key.PublicKeyPem);
        var second = await rekor.UploadHashedRekordAsync(digest, signature, key.PublicKeyPem);

        Assert.Equal(first.LogIndex, second.LogIndex);
        Assert.Equal(first.CanonicalizedBody, second.CanonicalizedBody);
        Assert.Contains(Stack.Rekor.Requests, r => r.Status == 409);
    }
}
