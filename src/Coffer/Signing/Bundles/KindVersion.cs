using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>The Rekor entry type and its schema version, such as <c>hashedrekord</c> 0.0.1.</summary>
public sealed class KindVersion
{
    /// <summary>The entry kind.</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    /// <summary>The schema version of the kind.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; set; }
}
