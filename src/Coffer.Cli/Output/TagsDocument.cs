using System.Text.Json.Serialization;

namespace Coffer.Cli.Output;

/// <summary><c>repo tags --format json</c>: the repository's tags, in the registry's order.</summary>
internal sealed partial class TagsDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required IReadOnlyList<string> Tags { get; init; }

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, TagsDocumentContext.Default.TagsDocument);

    [JsonSerializable(typeof(TagsDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class TagsDocumentContext : JsonSerializerContext;
}
