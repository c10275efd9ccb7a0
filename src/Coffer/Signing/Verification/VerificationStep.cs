namespace Coffer.Signing.Verification;

/// <summary>The step of spec-notes §3 at which a verification failed.</summary>
public enum VerificationStep
{
    /// <summary>§3.0: the bundle's structure or version rules.</summary>
    BundleStructure,

    /// <summary>§3.0 step 4: the bundle's material does not fit the caller's policy.</summary>
    Policy,

    /// <summary>§3.1: RFC 3161 timestamps, or no verified time at all.</summary>
    Timestamps,

    /// <summary>§3.4: the log entry does not match the bundle, or its log is unknown.</summary>
    TransparencyLog,

    /// <summary>§3.5: the Merkle inclusion proof.</summary>
    InclusionProof,

    /// <summary>§3.5: the signed checkpoint.</summary>
    Checkpoint,

    /// <summary>§3.6: the signed entry timestamp (inclusion promise).</summary>
    SignedEntryTimestamp,

    /// <summary>§3.2: the certificate chain to a trusted Fulcio CA.</summary>
    Certificate,

    /// <summary>§3.3: the signed certificate timestamps.</summary>
    CertificateTransparency,

    /// <summary>§3.8: the signer identity or issuer.</summary>
    Identity,

    /// <summary>§3.7: the signature over the artifact or the DSSE envelope.</summary>
    Signature,

    /// <summary>§1.3: the artifact does not match the bundle's digest or statement.</summary>
    Artifact,

    /// <summary>§3.9: the verified time lies outside the public key's validity.</summary>
    KeyValidity,
}
