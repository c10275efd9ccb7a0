using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>A Rekor v1 signed entry timestamp (SET): the log's promise to include the entry.</summary>
public sealed class InclusionPromise
{
    /// <summary>The DER ECDSA signature of the log over the canonical entry summary.</summary>
    [JsonPropertyName("signedEntryTimestamp")]
    public byte[]? SignedEntryTimestamp { get; set; }
}
