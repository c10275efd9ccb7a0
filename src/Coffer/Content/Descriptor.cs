using System.Text.Json.Serialization;

namespace Coffer.Content;

/// <summary>An OCI content descriptor: what a manifest says about one blob or manifest.</summary>
public sealed class Descriptor
{
    /// <summary>The media type of the referenced content.</summary>
    [JsonPropertyName("mediaType")]
    public string MediaType { get; set; } = "";

    /// <summary>The digest of the referenced content, as written.</summary>
    [JsonPropertyName("digest")]
    public string Digest { get; set; } = "";

    /// <summary>The size in bytes, as claimed. Never trusted for an allocation.</summary>
    [JsonPropertyName("size")]
    public long Size { get; set; }

    /// <summary>The artifact type, for manifests that carry one.</summary>
    [JsonPropertyName("artifactType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactType { get; set; }

    /// <summary>Annotations.</summary>
    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedDictionary<string, string>? Annotations { get; set; }

    /// <summary>The platform, for entries of an index.</summary>
    [JsonPropertyName("platform")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Platform? Platform { get; set; }

    /// <summary>Embedded content, base64.</summary>
    [JsonPropertyName("data")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Data { get; set; }

    /// <summary>The <c>org.opencontainers.image.title</c> annotation, if set.</summary>
    [JsonIgnore]
    public string? Title =>
        Annotations is not null && Annotations.TryGetValue(AnnotationKeys.Title, out var title) ? title : null;

    /// <summary>The descriptor of the empty JSON object.</summary>
    public static Descriptor EmptyJson() => new()
    {
        MediaType = MediaTypes.Empty,
        Digest = Content.Digest.EmptyJson.ToString(),
        Size = 2,
    };

    /// <summary>Parses <see cref="Digest"/>, with an error that names the descriptor.</summary>
    /// <exception cref="FormatException">The digest is malformed.</exception>
    public Digest ParsedDigest()
    {
        if (!Content.Digest.TryParse(Digest, out var digest, out var error))
        {
            throw new FormatException($"descriptor of {Title ?? MediaType}: {error}");
        }

        return digest;
    }
}
