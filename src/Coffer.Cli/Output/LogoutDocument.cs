using System.Text.Json.Serialization;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>logout --format json</c>: the registry, whether a credential was removed (false when none was
/// stored), and the config file that was used.
/// </summary>
internal sealed partial class LogoutDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Registry { get; init; }

    public required bool Removed { get; init; }

    public required string Config { get; init; }

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, LogoutDocumentContext.Default.LogoutDocument);

    [JsonSerializable(typeof(LogoutDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class LogoutDocumentContext : JsonSerializerContext;
}
