using System.Text.Json.Serialization;
using System.Text.Json;
using Coffer.Cli.Hosting;
using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>manifest fetch --format json</c> and <c>manifest fetch-config --format json</c>: what was fetched,
/// by digest, its descriptor, and the content itself (the JSON, or base64 when it is not JSON). With
/// <c>--descriptor</c> the content is left out, and so are a manifest's annotations, which only its body holds.
/// </summary>
internal sealed partial class ManifestDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Reference { get; init; }

    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public required IReadOnlyDictionary<string, string> Annotations { get; init; }

    public JsonElement? Content { get; init; }

    /// <param name="reference">The repository.</param>
    /// <param name="descriptor">The manifest or config fetched.</param>
    /// <param name="content">Its bytes, or null to leave them out.</param>
    public static ManifestDocument From(TargetArgument reference, Descriptor descriptor, byte[]? content) => new()
    {
        Reference = reference.WithDigest(descriptor.ParsedDigest()).ToString(),
        MediaType = descriptor.MediaType,
        Digest = descriptor.Digest,
        Size = descriptor.Size,

        // A manifest's annotations are in its body; a config's are on the descriptor that names it.
        Annotations = content is not null && IsManifest(descriptor.MediaType)
            ? JsonOutput.Annotations(content)
            : DescriptorJson.AnnotationsOf(descriptor),
        Content = content is null ? null : JsonOutput.Content(content),
    };

    private static bool IsManifest(string mediaType) => mediaType is MediaTypes.ImageManifest
        or MediaTypes.ImageIndex or MediaTypes.DockerManifest or MediaTypes.DockerManifestList;

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, ManifestDocumentContext.Default.ManifestDocument);

    [JsonSerializable(typeof(ManifestDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class ManifestDocumentContext : JsonSerializerContext;
}
