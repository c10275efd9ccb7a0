using System.Text.Json.Serialization;
using Coffer.Cli.Hosting;
using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>manifest index create|update --format json</c>: the index, by digest, whether it was pushed
/// (not with <c>-o</c>), the tags it got as full references (a layout's as <c>path:tag</c>), and
/// its entries.
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

    public required IReadOnlyList<DescriptorJson> Manifests { get; init; }

    /// <param name="target">The registry repository or layout the index is in.</param>
    /// <param name="descriptor">The index's descriptor.</param>
    /// <param name="index">The index itself.</param>
    /// <param name="pushed">Whether it went to the registry or layout.</param>
    /// <param name="tags">The tags it got.</param>
    public static IndexDocument From(
        TargetArgument target, Descriptor descriptor, ImageIndex index, bool pushed, IEnumerable<string> tags) => new()
    {
        Reference = target.WithDigest(descriptor.ParsedDigest()),
        MediaType = descriptor.MediaType,
        Digest = descriptor.Digest,
        Size = descriptor.Size,
        Annotations = DescriptorJson.AnnotationsOf(descriptor),
        ArtifactType = descriptor.ArtifactType,
        Pushed = pushed,
        ReferenceAsTags = [.. tags.Select(target.WithTag)],
        Manifests = [.. index.Manifests.Select(DescriptorJson.From)],
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
