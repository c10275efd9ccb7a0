using Coffer.Signing.Bundles;

namespace Coffer.Signing.Verification;

/// <summary>What a log entry body must agree with: the signature, the key material and the artifact.</summary>
internal sealed class SignedContent
{
    /// <summary>The signature bytes (message signature, or the single DSSE signature).</summary>
    public required byte[] Signature { get; init; }

    /// <summary>The leaf certificate DER, for certificate bundles.</summary>
    public byte[]? LeafDer { get; init; }

    /// <summary>The SPKI DER of the verifying key.</summary>
    public required byte[] KeySpki { get; init; }

    /// <summary>The DSSE envelope, for attestations.</summary>
    public DsseEnvelope? Envelope { get; init; }

    /// <summary>SHA-256 of the envelope's PAE, for attestations.</summary>
    public byte[]? PaeSha256 { get; init; }

    /// <summary>The artifact.</summary>
    public required VerificationArtifact Artifact { get; init; }
}
