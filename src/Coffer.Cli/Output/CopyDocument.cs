using System.Text.Json.Serialization;
using Coffer.Artifacts;
using Coffer.Cli.Hosting;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>copy --format json</c>: where the artifact came from, its reference and descriptor at the
/// destination, the tags it got, the referrers copied with it and how each blob got there.
/// </summary>
internal sealed partial class CopyDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Source { get; init; }

    public required string Reference { get; init; }

    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public required IReadOnlyDictionary<string, string> Annotations { get; init; }

    public string? ArtifactType { get; init; }

    public required IReadOnlyList<string> ReferenceAsTags { get; init; }

    public required IReadOnlyList<DescriptorJson> Referrers { get; init; }

    public required CopyBlobsJson Blobs { get; init; }

    /// <param name="source">The source as the user named it.</param>
    /// <param name="destination">The destination.</param>
    /// <param name="result">What the copy did.</param>
    public static CopyDocument From(string source, TargetArgument destination, CopyResult result) => new()
    {
        Source = source,
        Reference = destination.WithDigest(result.Manifest.ParsedDigest()),
        MediaType = result.Manifest.MediaType,
        Digest = result.Manifest.Digest,
        Size = result.Manifest.Size,
        Annotations = DescriptorJson.AnnotationsOf(result.Manifest),
        ArtifactType = result.Manifest.ArtifactType,
        ReferenceAsTags = [.. result.Tags.Select(destination.WithTag)],
        Referrers = [.. result.Referrers.Select(DescriptorJson.From)],
        Blobs = new CopyBlobsJson
        {
            Copied = result.BlobsCopied,
            Exists = result.BlobsExisting,
            Mounted = result.BlobsMounted,
        },
    };

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, CopyDocumentContext.Default.CopyDocument);

    [JsonSerializable(typeof(CopyDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class CopyDocumentContext : JsonSerializerContext;
}
