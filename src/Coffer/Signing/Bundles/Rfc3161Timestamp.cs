using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>An RFC 3161 timestamp over the signature.</summary>
public sealed class Rfc3161Timestamp
{
    /// <summary>The DER TimeStampResp (or bare TimeStampToken) from the TSA.</summary>
    [JsonPropertyName("signedTimestamp")]
    public byte[]? SignedTimestamp { get; set; }
}
