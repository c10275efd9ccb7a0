using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>A digest with its algorithm name (<c>dev.sigstore.common.v1.HashOutput</c>).</summary>
public sealed class HashOutput
{
    /// <summary>The algorithm, such as <c>SHA2_256</c>.</summary>
    [JsonPropertyName("algorithm")]
    public string? Algorithm { get; set; }

    /// <summary>The raw digest bytes.</summary>
    [JsonPropertyName("digest")]
    public byte[]? Digest { get; set; }
}
