using Coffer.Signing.Bundles;
using Coffer.Signing.Trust;
using Coffer.Signing.Verification;
using Coffer.Testing.Sigstore;

namespace Coffer.Tests.Signing.Verification;

/// <summary>A test authority, a default artifact and helpers to verify or expect a failing step.</summary>
public abstract class VerifierTestBase : IDisposable
{
    protected static readonly byte[] Artifact = "coffer signed artifact\n"u8.ToArray();

    protected TestSigstoreAuthority Authority { get; } = new();

    protected static VerificationPolicy Keyless =>
        VerificationPolicy.ForIdentity(TestSigstoreAuthority.Identity, TestSigstoreAuthority.Issuer);

    public void Dispose()
    {
        Authority.Dispose();
        GC.SuppressFinalize(this);
    }

    protected TestSignedBundle Sign(SignOptions? options = null) => Authority.Sign(Artifact, options);

    /// <summary>Verifies after a JSON round trip, as a bundle read from disk would be.</summary>
    protected VerificationResult Verify(TestSignedBundle bundle, VerificationPolicy? policy = null,
        TrustedRoot? root = null, VerificationArtifact? artifact = null, TimeProvider? time = null)
    {
        var verifier = new BundleVerifier(root ?? Authority.TrustedRoot(), time);
        return verifier.Verify(bundle.ToJson(), artifact ?? VerificationArtifact.FromBytes(bundle.Artifact),
            policy ?? Keyless);
    }

    protected VerificationException Fails(VerificationStep step, TestSignedBundle bundle,
        VerificationPolicy? policy = null, TrustedRoot? root = null, VerificationArtifact? artifact = null,
        TimeProvider? time = null)
    {
        var error = Assert.Throws<VerificationException>(() => Verify(bundle, policy, root, artifact, time));
        Assert.True(step == error.Step, $"expected step {step}, got {error.Step}: {error.Message}");
        Assert.Equal(Coffer.Errors.ExitCodes.VerificationFailed, error.ExitCode);
        return error;
    }

    protected static TransparencyLogEntry Entry(TestSignedBundle bundle) =>
        bundle.Bundle.VerificationMaterial!.TlogEntries![0];
}
