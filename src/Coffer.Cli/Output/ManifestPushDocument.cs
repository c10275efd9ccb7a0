using System.Text.Json.Serialization;
using Coffer.Cli.Hosting;
using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>manifest push --format json</c>: the pushed manifest, by digest, its descriptor, and the tags it
/// got as full references.
/// </summary>
internal sealed partial class ManifestPushDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Reference { get; init; }

    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public required IReadOnlyDictionary<string, string> Annotations { get; init; }

    public required IReadOnlyList<string> ReferenceAsTags { get; init; }

    /// <param name="reference">The repository.</param>
    /// <param name="manifest">The manifest's descriptor.</param>
    /// <param name="content">The manifest as pushed.</param>
    /// <param name="tags">The tags it got.</param>
    public static ManifestPushDocument From(
        TargetArgument reference, Descriptor manifest, byte[] content, IReadOnlyList<string> tags) => new()
    {
        Reference = reference.WithDigest(manifest.ParsedDigest()).ToString(),
        MediaType = manifest.MediaType,
        Digest = manifest.Digest,
        Size = manifest.Size,
        Annotations = JsonOutput.Annotations(content),
        ReferenceAsTags = [.. tags.Select(t => reference.WithTag(t).ToString())],
    };

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, ManifestPushDocumentContext.Default.ManifestPushDocument);

    [JsonSerializable(typeof(ManifestPushDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class ManifestPushDocumentContext : JsonSerializerContext;
}
