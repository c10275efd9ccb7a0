using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>
/// A descriptor inside a document (a layer, a referrer's subject): the OCI fields in the spec's order,
/// with <c>annotations</c> always present, <c>{}</c> when there are none.
/// </summary>
internal sealed class DescriptorJson
{
    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public required IReadOnlyDictionary<string, string> Annotations { get; init; }

    public string? ArtifactType { get; init; }

    /// <summary>The platform of an index entry as <c>os/arch[/variant]</c>; absent elsewhere.</summary>
    public string? Platform { get; init; }

    public static DescriptorJson From(Descriptor descriptor) => new()
    {
        MediaType = descriptor.MediaType,
        Digest = descriptor.Digest,
        Size = descriptor.Size,
        Annotations = AnnotationsOf(descriptor),
        ArtifactType = descriptor.ArtifactType,
        Platform = descriptor.Platform?.ToString(),
    };

    /// <summary>The descriptor's annotations, or an empty map.</summary>
    public static IReadOnlyDictionary<string, string> AnnotationsOf(Descriptor descriptor) =>
        descriptor.Annotations ?? (IReadOnlyDictionary<string, string>)new Dictionary<string, string>();
}
