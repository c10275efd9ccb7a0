using System.Text.Json.Serialization;

namespace Coffer.Signing.Trust;

/// <summary>
/// The trust material verification starts from (<c>dev.sigstore.trustroot.v1.TrustedRoot</c>):
/// Rekor logs, Fulcio CAs, CT logs and timestamp authorities. Read one with
/// <see cref="TrustedRootSerializer"/>; <see cref="TrustedRootSerializer.PublicGood"/> is the default.
/// </summary>
public sealed class TrustedRoot
{
    /// <summary>The media type of version 0.1.</summary>
    public const string MediaTypeV01 = "application/vnd.dev.sigstore.trustedroot+json;version=0.1";

    /// <summary>The media type of version 0.2.</summary>
    public const string MediaTypeV02 = "application/vnd.dev.sigstore.trustedroot.v0.2+json";

    /// <summary>The media type.</summary>
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; set; }

    /// <summary>Rekor transparency logs.</summary>
    [JsonPropertyName("tlogs")]
    public List<TransparencyLogInstance> Tlogs { get; set; } = [];

    /// <summary>Fulcio certificate authorities.</summary>
    [JsonPropertyName("certificateAuthorities")]
    public List<CertificateAuthority> CertificateAuthorities { get; set; } = [];

    /// <summary>Certificate-transparency logs.</summary>
    [JsonPropertyName("ctlogs")]
    public List<TransparencyLogInstance> Ctlogs { get; set; } = [];

    /// <summary>RFC 3161 timestamp authorities.</summary>
    [JsonPropertyName("timestampAuthorities")]
    public List<CertificateAuthority> TimestampAuthorities { get; set; } = [];
}
