using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>A DER-encoded X.509 certificate (<c>dev.sigstore.common.v1.X509Certificate</c>).</summary>
public sealed class RawCertificate
{
    /// <summary>The DER bytes of the certificate.</summary>
    [JsonPropertyName("rawBytes")]
    public byte[]? RawBytes { get; set; }
}
