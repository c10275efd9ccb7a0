using System.Text.Json.Serialization;
using Coffer.Cli.Hosting;
using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>tag --format json</c>: the manifest that was tagged, by digest, and every new tag as a full
/// reference (<c>referenceAsTags</c>, as push names them).
/// </summary>
internal sealed partial class TagDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Reference { get; init; }

    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public required IReadOnlyList<string> ReferenceAsTags { get; init; }

    public static TagDocument From(TargetArgument reference, Descriptor manifest, IReadOnlyList<string> tags) => new()
    {
        Reference = reference.WithDigest(manifest.ParsedDigest()).ToString(),
        MediaType = manifest.MediaType,
        Digest = manifest.Digest,
        Size = manifest.Size,
        ReferenceAsTags = [.. tags.Select(t => reference.WithTag(t).ToString())],
    };

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, TagDocumentContext.Default.TagDocument);

    [JsonSerializable(typeof(TagDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class TagDocumentContext : JsonSerializerContext;
}
