using System.Text.Json.Serialization;
using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>
/// An OCI descriptor as the image spec writes it, for <c>--descriptor</c>: the fields in the spec's
/// order, annotations and artifact type only when present.
/// </summary>
internal sealed partial class OciDescriptorJson
{
    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public string? ArtifactType { get; init; }

    public static OciDescriptorJson From(Descriptor descriptor) => new()
    {
        MediaType = descriptor.MediaType,
        Digest = descriptor.Digest,
        Size = descriptor.Size,
        Annotations = descriptor.Annotations is { Count: > 0 } annotations ? annotations : null,
        ArtifactType = descriptor.ArtifactType,
    };

    public string ToJson(bool indented) =>
        JsonOutput.Serialize(this, OciDescriptorJsonContext.Default.OciDescriptorJson, indented);

    [JsonSerializable(typeof(OciDescriptorJson))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class OciDescriptorJsonContext : JsonSerializerContext;
}
