using Coffer.Signing.Bundles;
using Coffer.Signing.Keys;
using Coffer.Signing.Services;
using Coffer.Signing.Verification;

namespace Coffer.Signing.Signers;

/// <summary>What a bundle signs, a message digest or a DSSE envelope: how to sign, log and fill the bundle.</summary>
internal abstract class SigningPayload
{
    /// <summary>Signs the payload; the bytes the TSA timestamps are this signature.</summary>
    public abstract byte[] Sign(EcdsaSigner signer);

    /// <summary>Logs the signature in Rekor with the given verifier.</summary>
    public abstract Task<TransparencyLogEntry> LogAsync(
        RekorClient rekor, byte[] signature, string verifierPem, CancellationToken cancellationToken);

    /// <summary>Sets the bundle content (<c>messageSignature</c> or <c>dsseEnvelope</c>).</summary>
    public abstract void Fill(Bundle bundle, byte[] signature);

    /// <summary>The artifact a self-check verifies against, or null when there is none to name.</summary>
    public abstract VerificationArtifact? SelfCheckArtifact();
}
