using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>Signed timestamps that prove when the signature existed.</summary>
public sealed class TimestampVerificationData
{
    /// <summary>RFC 3161 timestamps.</summary>
    [JsonPropertyName("rfc3161Timestamps")]
    public List<Rfc3161Timestamp>? Rfc3161Timestamps { get; set; }
}
