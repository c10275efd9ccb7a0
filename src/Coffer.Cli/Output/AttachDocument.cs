using System.Text.Json.Serialization;
using Coffer.Artifacts;
using Coffer.Cli.Hosting;
using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>attach --format json</c>: the new referrer's reference and descriptor, as ORAS prints them, the
/// digest of the subject it refers to, and its layers.
/// </summary>
internal sealed partial class AttachDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Reference { get; init; }

    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public required IReadOnlyDictionary<string, string> Annotations { get; init; }

    public required string ArtifactType { get; init; }

    public required string Subject { get; init; }

    public required IReadOnlyList<DescriptorJson> Layers { get; init; }

    public static AttachDocument From(TargetArgument reference, Descriptor subject, PushResult result) => new()
    {
        Reference = reference.WithDigest(result.Manifest.ParsedDigest()).ToString(),
        MediaType = result.Manifest.MediaType,
        Digest = result.Manifest.Digest,
        Size = result.Manifest.Size,
        Annotations = JsonOutput.Annotations(result.ManifestBytes),
        ArtifactType = result.ArtifactType,
        Subject = subject.Digest,
        Layers = [.. result.Layers.Select(DescriptorJson.From)],
    };

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, AttachDocumentContext.Default.AttachDocument);

    [JsonSerializable(typeof(AttachDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class AttachDocumentContext : JsonSerializerContext;
}
