using System.Text.Json.Serialization;

namespace Coffer.Cli.Output;

/// <summary><c>version --format json</c>: Coffer's version and commit, the .NET runtime, and the platform.</summary>
internal sealed partial class VersionDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Version { get; init; }

    public required string Runtime { get; init; }

    public required string OsArch { get; init; }

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, VersionDocumentContext.Default.VersionDocument);

    [JsonSerializable(typeof(VersionDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class VersionDocumentContext : JsonSerializerContext;
}
