using System.Text.Json.Serialization;

namespace Coffer.Signing.Trust;

/// <summary>The subject of a CA as the trusted root names it.</summary>
public sealed class DistinguishedName
{
    /// <summary>The organization.</summary>
    [JsonPropertyName("organization")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Organization { get; set; }

    /// <summary>The common name.</summary>
    [JsonPropertyName("commonName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CommonName { get; set; }
}
