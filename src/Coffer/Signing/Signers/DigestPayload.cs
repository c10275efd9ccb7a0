using Coffer.Signing.Bundles;
using Coffer.Signing.Keys;
using Coffer.Signing.Services;
using Coffer.Signing.Verification;

namespace Coffer.Signing.Signers;

/// <summary>A <c>messageSignature</c> over a SHA-256 digest, logged as hashedrekord 0.0.1.</summary>
internal sealed class DigestPayload(ReadOnlyMemory<byte> sha256) : SigningPayload
{
    public override byte[] Sign(EcdsaSigner signer) => signer.SignDigest(sha256.Span);

    public override Task<TransparencyLogEntry> LogAsync(
        RekorClient rekor, byte[] signature, string verifierPem, CancellationToken cancellationToken) =>
        rekor.UploadHashedRekordAsync(sha256, signature, verifierPem, cancellationToken);

    public override void Fill(Bundle bundle, byte[] signature) =>
        bundle.MessageSignature = new MessageSignature
        {
            MessageDigest = new HashOutput { Algorithm = "SHA2_256", Digest = sha256.ToArray() },
            Signature = signature,
        };

    public override VerificationArtifact SelfCheckArtifact() =>
        VerificationArtifact.FromDigest("sha256:" + Convert.ToHexStringLower(sha256.Span));
}
