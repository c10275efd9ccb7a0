using System.Text.Json.Serialization;
using Coffer.Artifacts;
using Coffer.Cli.Hosting;
using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>push --format json</c>: the manifest's reference and descriptor and <c>referenceAsTags</c> as ORAS
/// prints them, then the layers, and the signature referrer's digest when the push was signed.
/// </summary>
internal sealed partial class PushDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Reference { get; init; }

    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public required IReadOnlyDictionary<string, string> Annotations { get; init; }

    public required string ArtifactType { get; init; }

    public required IReadOnlyList<string> ReferenceAsTags { get; init; }

    public required IReadOnlyList<DescriptorJson> Layers { get; init; }

    public string? Signature { get; init; }

    /// <param name="reference">The repository pushed to.</param>
    /// <param name="result">What the push made.</param>
    /// <param name="tags">The tags the manifest got.</param>
    /// <param name="signature">The signature referrer, when the push was signed.</param>
    public static PushDocument From(
        TargetArgument reference, PushResult result, IReadOnlyList<string> tags, Descriptor? signature) => new()
    {
        Reference = reference.WithDigest(result.Manifest.ParsedDigest()).ToString(),
        MediaType = result.Manifest.MediaType,
        Digest = result.Manifest.Digest,
        Size = result.Manifest.Size,
        Annotations = JsonOutput.Annotations(result.ManifestBytes),
        ArtifactType = result.ArtifactType,
        ReferenceAsTags = [.. tags.Select(t => reference.WithTag(t).ToString())],
        Layers = [.. result.Layers.Select(DescriptorJson.From)],
        Signature = signature?.Digest,
    };

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, PushDocumentContext.Default.PushDocument);

    [JsonSerializable(typeof(PushDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class PushDocumentContext : JsonSerializerContext;
}
