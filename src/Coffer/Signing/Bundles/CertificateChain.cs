using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>
/// A list of DER certificates (<c>dev.sigstore.common.v1.X509CertificateChain</c>). In a bundle the
/// first is the leaf; in a trusted root the last is the trust anchor.
/// </summary>
public sealed class CertificateChain
{
    /// <summary>The certificates, in order.</summary>
    [JsonPropertyName("certificates")]
    public List<RawCertificate>? Certificates { get; set; }
}
