using Coffer.Signing.Bundles;
using Coffer.Signing.Keys;
using Coffer.Signing.Services;
using Coffer.Signing.Verification;

namespace Coffer.Signing.Signers;

/// <summary>A DSSE envelope with one signature over PAE(type, payload), logged as dsse 0.0.1.</summary>
internal sealed class DssePayload(string payloadType, byte[] payload) : SigningPayload
{
    public override byte[] Sign(EcdsaSigner signer) =>
        signer.SignData(DsseEnvelope.PreAuthenticationEncoding(payloadType, payload));

    public override Task<TransparencyLogEntry> LogAsync(
        RekorClient rekor, byte[] signature, string verifierPem, CancellationToken cancellationToken) =>
        rekor.UploadDsseAsync(Envelope(signature), verifierPem, cancellationToken);

    public override void Fill(Bundle bundle, byte[] signature) => bundle.DsseEnvelope = Envelope(signature);

    /// <summary>
    /// For an in-toto statement, its first SHA-256 subject: the verifier matches the artifact against
    /// the subjects, so the PAE bytes would be the wrong artifact (sigstore-go #257).
    /// </summary>
    public override VerificationArtifact? SelfCheckArtifact()
    {
        if (payloadType != DsseEnvelope.InTotoPayloadType)
        {
            return null;
        }

        var statement = BundleSerializer.ParseStatement(payload);
        var digest = statement.Subject?
            .Select(s => s.Digest is { } d && d.TryGetValue("sha256", out var hex) ? hex : null)
            .FirstOrDefault(hex => hex is not null);
        return digest is null ? null : VerificationArtifact.FromDigest("sha256:" + digest);
    }

    private DsseEnvelope Envelope(byte[] signature) => new()
    {
        Payload = payload,
        PayloadType = payloadType,
        Signatures = [new DsseSignature { Sig = signature, KeyId = "" }],
    };
}
