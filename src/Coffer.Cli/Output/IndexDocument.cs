using System.Text.Json.Serialization;
using Coffer.Content;
using Coffer.Registry;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>manifest index create|update --format json</c>: the index, by digest, whether it was pushed
/// (not with <c>-o</c>), the tags it got as full references, and its entries.
/// </summary>
internal sealed partial class IndexDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Reference { get; init; }

    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public required IReadOnlyDictionary<string, string> Annotations { get; init; }

    public string? ArtifactType { get; init; }

    public required bool Pushed { get; init; }

    public required IReadOnlyList<string> ReferenceAsTags { get; init; }

    public required IReadOnlyList<IndexEntryJson> Manifests { get; init; }

    /// <param name="pinned">The index's reference by digest.</param>
    /// <param name="descriptor">The index's descriptor.</param>
    /// <param name="index">The index itself.</param>
    /// <param name="pushed">Whether it went to the registry.</param>
    /// <param name="tags">The tags it got, as full references.</param>
    public static IndexDocument From(
        Reference pinned, Descriptor descriptor, ImageIndex index, bool pushed, IEnumerable<Reference> tags) => new()
    {
        Reference = pinned.ToString(),
        MediaType = descriptor.MediaType,
        Digest = descriptor.Digest,
        Size = descriptor.Size,
        Annotations = DescriptorJson.AnnotationsOf(descriptor),
        ArtifactType = descriptor.ArtifactType,
        Pushed = pushed,
        ReferenceAsTags = [.. tags.Select(t => t.ToString())],
        Manifests = [.. index.Manifests.Select(IndexEntryJson.From)],
    };

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, IndexDocumentContext.Default.IndexDocument);

    [JsonSerializable(typeof(IndexDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class IndexDocumentContext : JsonSerializerContext;
}
