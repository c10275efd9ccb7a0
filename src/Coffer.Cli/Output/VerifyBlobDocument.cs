using System.Text.Json.Serialization;
using Coffer.Signing.Verification;

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

    /// <param name="artifact">The artifact checked: a file (its description is its full path) or a digest.</param>
    /// <param name="bundle">The bundle's full path.</param>
    /// <param name="result">What the check proved.</param>
    public static VerifyBlobDocument From(VerificationArtifact artifact, string bundle, VerificationResult result)
        => new()
        {
            Artifact = artifact.Description,

            // Only a digest given as sha384: or sha512: has no SHA-256; it is then the digest.
            Digest = artifact.Sha256 is { } sha256
                ? "sha256:" + Convert.ToHexStringLower(sha256.Span)
                : artifact.Description,
            Bundle = bundle,
            Verified = VerificationJson.From(result),
        };

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, VerifyBlobDocumentContext.Default.VerifyBlobDocument);

    [JsonSerializable(typeof(VerifyBlobDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class VerifyBlobDocumentContext : JsonSerializerContext;
}
