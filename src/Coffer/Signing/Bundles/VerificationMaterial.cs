using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>
/// The key material and log/timestamp evidence of a bundle. Exactly one of
/// <see cref="Certificate"/>, <see cref="X509CertificateChain"/> and <see cref="PublicKey"/> is set.
/// </summary>
public sealed class VerificationMaterial
{
    /// <summary>The leaf certificate (v0.3 keyless).</summary>
    [JsonPropertyName("certificate")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RawCertificate? Certificate { get; set; }

    /// <summary>A chain whose first element is the leaf (v0.1 and v0.2 keyless).</summary>
    [JsonPropertyName("x509CertificateChain")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CertificateChain? X509CertificateChain { get; set; }

    /// <summary>A hint naming a self-managed key.</summary>
    [JsonPropertyName("publicKey")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PublicKeyIdentifier? PublicKey { get; set; }

    /// <summary>Transparency-log entries.</summary>
    [JsonPropertyName("tlogEntries")]
    public List<TransparencyLogEntry>? TlogEntries { get; set; }

    /// <summary>Signed timestamps.</summary>
    [JsonPropertyName("timestampVerificationData")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TimestampVerificationData? TimestampVerificationData { get; set; }
}
