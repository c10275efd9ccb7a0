using System.Text.Json.Serialization;
using Coffer.Cli.Hosting;
using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>blob fetch --format json</c> and <c>blob push --format json</c>: the blob, by digest, its
/// descriptor, and for a fetch with <c>-o</c> the file it was written to.
/// </summary>
internal sealed partial class BlobDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Reference { get; init; }

    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public required IReadOnlyDictionary<string, string> Annotations { get; init; }

    public string? Path { get; init; }

    public static BlobDocument From(TargetArgument reference, Descriptor blob, string? path = null) => new()
    {
        Reference = reference.WithDigest(blob.ParsedDigest()).ToString(),
        MediaType = blob.MediaType,
        Digest = blob.Digest,
        Size = blob.Size,
        Annotations = DescriptorJson.AnnotationsOf(blob),
        Path = path,
    };

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, BlobDocumentContext.Default.BlobDocument);

    [JsonSerializable(typeof(BlobDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class BlobDocumentContext : JsonSerializerContext;
}
