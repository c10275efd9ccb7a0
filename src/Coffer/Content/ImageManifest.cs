using System.Text.Json.Serialization;

namespace Coffer.Content;

/// <summary>An OCI image manifest (image-spec 1.1), the shape every Coffer artifact takes.</summary>
public sealed class ImageManifest
{
    /// <summary>Always 2.</summary>
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; set; } = 2;

    /// <summary>The manifest media type.</summary>
    [JsonPropertyName("mediaType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MediaType { get; set; } = MediaTypes.ImageManifest;

    /// <summary>The artifact type.</summary>
    [JsonPropertyName("artifactType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactType { get; set; }

    /// <summary>The config blob.</summary>
    [JsonPropertyName("config")]
    public Descriptor Config { get; set; } = Descriptor.EmptyJson();

    /// <summary>The layers, one per file.</summary>
    [JsonPropertyName("layers")]
    public List<Descriptor> Layers { get; set; } = [];

    /// <summary>The manifest this one refers to, for referrers.</summary>
    [JsonPropertyName("subject")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Descriptor? Subject { get; set; }

    /// <summary>Manifest annotations.</summary>
    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedDictionary<string, string>? Annotations { get; set; }
}
