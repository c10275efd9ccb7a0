using System.Security.Cryptography;
using Coffer.Signing.Bundles;

namespace Coffer.Testing.Sigstore;

/// <summary>How <see cref="TestSigstoreAuthority.Sign"/> makes a bundle.</summary>
public sealed class SignOptions
{
    /// <summary>The bundle version (default v0.3).</summary>
    public BundleVersion Version { get; set; } = BundleVersion.V03;

    /// <summary>The log to record the signature in; null for none.</summary>
    public TestLogKind? Log { get; set; } = TestLogKind.RekorV1;

    /// <summary>Whether to add an RFC 3161 timestamp over the signature.</summary>
    public bool Timestamp { get; set; }

    /// <summary>Whether the timestamp token embeds the TSA certificate (default true).</summary>
    public bool EmbedTimestampCertificate { get; set; } = true;

    /// <summary>The TSA genTime; default: the signing time plus three seconds.</summary>
    public DateTimeOffset? TimestampTime { get; set; }

    /// <summary>Sign a DSSE in-toto statement about the artifact instead of the artifact itself.</summary>
    public bool Dsse { get; set; }

    /// <summary>For DSSE on Rekor v1: log as <c>dsse</c> 0.0.1 (default) or <c>intoto</c> 0.0.2.</summary>
    public string DsseLogKind { get; set; } = "dsse";

    /// <summary>The digest algorithm of the statement subject (<c>sha256</c> or <c>sha512</c>).</summary>
    public string SubjectAlgorithm { get; set; } = "sha256";

    /// <summary>Sign with a managed key (publicKey hint) instead of a Fulcio certificate.</summary>
    public bool KeyBased { get; set; }

    /// <summary>The signing key; default: a fresh ECDSA P-256 key.</summary>
    public ECDsa? SigningKey { get; set; }

    /// <summary>What the leaf certificate says.</summary>
    public LeafOptions Leaf { get; set; } = new();

    /// <summary>When the signature is made; default: the authority's clock minus one hour.</summary>
    public DateTimeOffset? SigningTime { get; set; }

    /// <summary>The Rekor v1 integrated time; default: the signing time plus five seconds.</summary>
    public DateTimeOffset? IntegratedTime { get; set; }

    /// <summary>Edits the log entry body JSON before it is logged (the log then signs the edit).</summary>
    public Func<string, string>? EditBody { get; set; }

    /// <summary>
    /// Use <c>x509CertificateChain</c> (the default for v0.1 and v0.2) instead of <c>certificate</c>;
    /// the extra certificates are appended after the leaf.
    /// </summary>
    public bool? CertificateChain { get; set; }

    /// <summary>Certificates appended after the leaf in an <c>x509CertificateChain</c>.</summary>
    public List<byte[]> ExtraChainCertificates { get; } = [];
}
