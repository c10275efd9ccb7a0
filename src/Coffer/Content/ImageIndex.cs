using System.Text.Json.Serialization;

namespace Coffer.Content;

/// <summary>An OCI image index (or a Docker manifest list, which has the same shape).</summary>
public sealed class ImageIndex
{
    /// <summary>Always 2.</summary>
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; set; } = 2;

    /// <summary>The index media type.</summary>
    [JsonPropertyName("mediaType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MediaType { get; set; } = MediaTypes.ImageIndex;

    /// <summary>The artifact type.</summary>
    [JsonPropertyName("artifactType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactType { get; set; }

    /// <summary>The manifests the index lists.</summary>
    [JsonPropertyName("manifests")]
    public List<Descriptor> Manifests { get; set; } = [];

    /// <summary>The manifest this one refers to.</summary>
    [JsonPropertyName("subject")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Descriptor? Subject { get; set; }

    /// <summary>Index annotations.</summary>
    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedDictionary<string, string>? Annotations { get; set; }
}
