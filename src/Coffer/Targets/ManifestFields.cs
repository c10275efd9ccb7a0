using System.Text.Json.Serialization;
using Coffer.Content;

namespace Coffer.Targets;

/// <summary>
/// The fields read from any manifest or index to handle it without knowing its kind first: what
/// kind it is, what it names (to check those are present, or to copy them) and what it refers to
/// (to find or record referrers).
/// </summary>
internal sealed class ManifestFields
{
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; set; }

    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; set; }

    [JsonPropertyName("config")]
    public Descriptor? Config { get; set; }

    [JsonPropertyName("layers")]
    public List<Descriptor>? Layers { get; set; }

    [JsonPropertyName("manifests")]
    public List<Descriptor>? Manifests { get; set; }

    [JsonPropertyName("subject")]
    public Descriptor? Subject { get; set; }

    [JsonPropertyName("annotations")]
    public SortedDictionary<string, string>? Annotations { get; set; }

    /// <summary>Parses a manifest, or returns null when it is not a JSON object of this shape.</summary>
    public static ManifestFields? Parse(byte[] content)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(content, TargetsJsonContext.Default.ManifestFields);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The stated media type, else what the fields say it is, else null.</summary>
    public string? KindOf() => MediaType
        ?? (Manifests is not null ? MediaTypes.ImageIndex : Layers is not null ? MediaTypes.ImageManifest : null);

    /// <summary>
    /// The artifact type a referrers listing gives this manifest: its <c>artifactType</c>, else
    /// (for an image manifest) its config's media type, as the distribution spec says.
    /// </summary>
    public string? ListedArtifactType() => ArtifactType
        ?? (Manifests is null && Config is { MediaType.Length: > 0 } config ? config.MediaType : null);
}
