using System.Text.Json.Serialization;
using Coffer.Cli.Hosting;
using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary><c>resolve --format json</c>: the manifest a tag points at, by digest, and its descriptor.</summary>
internal sealed partial class ResolveDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Reference { get; init; }

    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public static ResolveDocument From(TargetArgument reference, Descriptor manifest) => new()
    {
        Reference = reference.WithDigest(manifest.ParsedDigest()).ToString(),
        MediaType = manifest.MediaType,
        Digest = manifest.Digest,
        Size = manifest.Size,
    };

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, ResolveDocumentContext.Default.ResolveDocument);

    [JsonSerializable(typeof(ResolveDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class ResolveDocumentContext : JsonSerializerContext;
}
