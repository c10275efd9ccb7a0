using Coffer.Artifacts;
using Coffer.Cli.Hosting;

namespace Coffer.Cli.Output;

/// <summary>
/// A file a pull wrote, as ORAS lists it: the full path (a folder's ends with a separator), then the
/// layer's reference and descriptor.
/// </summary>
internal sealed class FileJson
{
    public required string Path { get; init; }

    public required string Reference { get; init; }

    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public required IReadOnlyDictionary<string, string> Annotations { get; init; }

    public string? ArtifactType { get; init; }

    public static FileJson From(TargetArgument repository, PulledFile file) => new()
    {
        Path = file.Path,
        Reference = repository.WithDigest(file.Descriptor.ParsedDigest()).ToString(),
        MediaType = file.Descriptor.MediaType,
        Digest = file.Descriptor.Digest,
        Size = file.Descriptor.Size,
        Annotations = DescriptorJson.AnnotationsOf(file.Descriptor),
        ArtifactType = file.Descriptor.ArtifactType,
    };
}
