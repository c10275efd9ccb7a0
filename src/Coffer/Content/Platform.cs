using System.Text.Json.Serialization;

namespace Coffer.Content;

/// <summary>The platform of an index entry.</summary>
public sealed class Platform
{
    /// <summary>The CPU architecture (<c>amd64</c>).</summary>
    [JsonPropertyName("architecture")]
    public string Architecture { get; set; } = "";

    /// <summary>The operating system (<c>linux</c>).</summary>
    [JsonPropertyName("os")]
    public string Os { get; set; } = "";

    /// <summary>The CPU variant (<c>v8</c>).</summary>
    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; set; }
}
