using System.Security.Cryptography.X509Certificates;
using Coffer.Signing.Bundles;

namespace Coffer.Signing.Verification;

/// <summary>What a successful verification established.</summary>
public sealed class VerificationResult
{
    /// <summary>The bundle version.</summary>
    public required BundleVersion BundleVersion { get; init; }

    /// <summary>The SAN value that matched the policy, for certificate bundles.</summary>
    public string? SignerIdentity { get; init; }

    /// <summary>The OIDC issuer from the Fulcio extension, for certificate bundles.</summary>
    public string? Issuer { get; init; }

    /// <summary>The signing certificate, for certificate bundles.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>The bundle's key hint, for key bundles (unauthenticated, informative).</summary>
    public string? KeyHint { get; init; }

    /// <summary><c>sha256:&lt;hex&gt;</c> of the verifying key's SPKI DER.</summary>
    public required string KeyFingerprint { get; init; }

    /// <summary>Every verified time with its source.</summary>
    public required IReadOnlyList<VerifiedTimestamp> VerifiedTimes { get; init; }

    /// <summary>The log entries that verified.</summary>
    public required IReadOnlyList<VerifiedLogEntry> LogEntries { get; init; }

    /// <summary>How many embedded SCTs verified against trusted CT logs.</summary>
    public int SignedCertificateTimestamps { get; init; }

    /// <summary>The in-toto statement, for DSSE bundles.</summary>
    public InTotoStatement? Statement { get; init; }
}
