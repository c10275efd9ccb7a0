using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>One subject of an in-toto statement: a name and its digests.</summary>
public sealed class InTotoSubject
{
    /// <summary>The subject name (not checked by verification).</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    /// <summary>Digests by algorithm name (<c>sha256</c>, <c>sha512</c>), lowercase hex.</summary>
    [JsonPropertyName("digest")]
    public Dictionary<string, string>? Digest { get; set; }
}
