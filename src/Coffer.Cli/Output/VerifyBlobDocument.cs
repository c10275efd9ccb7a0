using System.Text.Json.Serialization;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>verify-blob --format json</c>: the artifact checked (a file's full path, or the digest given), its
/// SHA-256 digest, the bundle, and what the check proved.
/// </summary>
internal sealed partial class VerifyBlobDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Artifact { get; init; }

    public required string Digest { get; init; }

    public required string Bundle { get; init; }

    public required VerificationJson Verified { get; init; }

    public void WriteTo(TextWriter output) => JsonOutput.Print(output, this, VerifyBlobDocumentContext.Default.VerifyBlobDocument);

    [JsonSerializable(typeof(VerifyBlobDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    private sealed partial class VerifyBlobDocumentContext : JsonSerializerContext;
}
