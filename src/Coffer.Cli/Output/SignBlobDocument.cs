using System.Text.Json.Serialization;

namespace Coffer.Cli.Output;

/// <summary><c>sign-blob --format json</c>: the file signed, its SHA-256 digest, and where the bundle went.</summary>
internal sealed partial class SignBlobDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string File { get; init; }

    public required string Digest { get; init; }

    public required string Bundle { get; init; }

    public void WriteTo(TextWriter output) => JsonOutput.Print(output, this, SignBlobDocumentContext.Default.SignBlobDocument);

    [JsonSerializable(typeof(SignBlobDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    private sealed partial class SignBlobDocumentContext : JsonSerializerContext;
}
