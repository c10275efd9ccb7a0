using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>Identifies a transparency log (<c>dev.sigstore.common.v1.LogId</c>).</summary>
public sealed class LogId
{
    /// <summary>
    /// The key id: SHA-256 of the log's SPKI DER for Rekor v1 and CT logs, the signed-note key id
    /// for Rekor v2.
    /// </summary>
    [JsonPropertyName("keyId")]
    public byte[]? KeyId { get; set; }
}
