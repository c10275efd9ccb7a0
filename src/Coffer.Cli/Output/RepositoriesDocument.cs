using System.Text.Json.Serialization;

namespace Coffer.Cli.Output;

/// <summary><c>repo ls --format json</c>: the repository names, namespace left off.</summary>
internal sealed partial class RepositoriesDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required IReadOnlyList<string> Repositories { get; init; }

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, RepositoriesDocumentContext.Default.RepositoriesDocument);

    [JsonSerializable(typeof(RepositoriesDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class RepositoriesDocumentContext : JsonSerializerContext;
}
