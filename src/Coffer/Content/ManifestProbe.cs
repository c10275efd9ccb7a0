using System.Text.Json.Serialization;

namespace Coffer.Content;

/// <summary>The fields read from any manifest to learn what kind it is.</summary>
internal sealed class ManifestProbe
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; set; }

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; set; }

    [JsonPropertyName("manifests")]
    public List<Descriptor>? Manifests { get; set; }

    [JsonPropertyName("layers")]
    public List<Descriptor>? Layers { get; set; }
}
