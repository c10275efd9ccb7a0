using System.Text.Json.Serialization;

namespace Coffer.Cli.Output;

/// <summary><c>generate-key-pair --format json</c>: the full paths of the two files written.</summary>
internal sealed partial class KeyPairDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string PrivateKey { get; init; }

    public required string PublicKey { get; init; }

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, KeyPairDocumentContext.Default.KeyPairDocument);

    [JsonSerializable(typeof(KeyPairDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class KeyPairDocumentContext : JsonSerializerContext;
}
