using System.Text.Json.Serialization;
using Coffer.Cli.Hosting;
using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>manifest delete --format json</c> and <c>blob delete --format json</c>: what was asked for, by digest
/// once known, and whether it was deleted. With <c>-f</c>, a target already gone is <c>"deleted": false</c>;
/// the descriptor fields are there only when the registry described the target.
/// </summary>
internal sealed partial class DeleteDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Reference { get; init; }

    public string? MediaType { get; init; }

    public string? Digest { get; init; }

    public long? Size { get; init; }

    public required bool Deleted { get; init; }

    public static DeleteDocument Removed(TargetArgument reference, Descriptor target) => new()
    {
        Reference = reference.WithDigest(target.ParsedDigest()).ToString(),
        MediaType = target.MediaType,
        Digest = target.Digest,
        Size = target.Size,
        Deleted = true,
    };

    /// <summary>A blob deleted without asking the registry for its descriptor first.</summary>
    public static DeleteDocument Removed(TargetArgument reference, Digest digest) => new()
    {
        Reference = reference.WithDigest(digest).ToString(),
        Digest = digest.ToString(),
        Deleted = true,
    };

    public static DeleteDocument Missing(TargetArgument reference) => new()
    {
        Reference = reference.ToString(),
        Digest = reference.Digest?.ToString(),
        Deleted = false,
    };

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, DeleteDocumentContext.Default.DeleteDocument);

    [JsonSerializable(typeof(DeleteDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class DeleteDocumentContext : JsonSerializerContext;
}
