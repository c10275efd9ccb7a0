using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>One signature of a DSSE envelope.</summary>
public sealed class DsseSignature
{
    /// <summary>The signature over the PAE of the envelope.</summary>
    [JsonPropertyName("sig")]
    public byte[]? Sig { get; set; }

    /// <summary>An optional, unauthenticated key id.</summary>
    [JsonPropertyName("keyid")]
    public string? KeyId { get; set; }
}
