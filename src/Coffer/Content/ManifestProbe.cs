using System.Text.Json.Serialization;

namespace Coffer.Content;

/// <summary>The fields read from any manifest to learn what kind it is.</summary>
public sealed class ManifestProbe
{
    /// <summary>The schema version.</summary>
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; set; }

    /// <summary>The media type, when the manifest states one.</summary>
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; set; }

    /// <summary>The entries, for an index.</summary>
    [JsonPropertyName("manifests")]
    public List<Descriptor>? Manifests { get; set; }

    /// <summary>The layers, for an image manifest.</summary>
    [JsonPropertyName("layers")]
    public List<Descriptor>? Layers { get; set; }
}
