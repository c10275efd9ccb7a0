using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>One entry of an index in a document: its descriptor and, for images, its platform.</summary>
internal sealed class IndexEntryJson
{
    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public required IReadOnlyDictionary<string, string> Annotations { get; init; }

    public string? ArtifactType { get; init; }

    /// <summary>The platform as <c>os/arch[/variant]</c>, absent for artifacts.</summary>
    public string? Platform { get; init; }

    public static IndexEntryJson From(Descriptor entry) => new()
    {
        MediaType = entry.MediaType,
        Digest = entry.Digest,
        Size = entry.Size,
        Annotations = DescriptorJson.AnnotationsOf(entry),
        ArtifactType = entry.ArtifactType,
        Platform = entry.Platform?.ToString(),
    };
}
