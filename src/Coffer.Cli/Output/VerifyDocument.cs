using System.Text.Json.Serialization;
using Coffer.Cli.Hosting;
using Coffer.Signing.Oci;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>verify --format json</c>: the manifest whose signature verified, by digest, its descriptor, and
/// what the check proved.
/// </summary>
internal sealed partial class VerifyDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Reference { get; init; }

    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public required VerificationJson Verified { get; init; }

    public static VerifyDocument From(TargetArgument reference, SignatureCheck check) => new()
    {
        Reference = reference.WithDigest(check.Subject.ParsedDigest()).ToString(),
        MediaType = check.Subject.MediaType,
        Digest = check.Subject.Digest,
        Size = check.Subject.Size,
        Verified = VerificationJson.From(check.Result, check.Referrer),
    };

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, VerifyDocumentContext.Default.VerifyDocument);

    [JsonSerializable(typeof(VerifyDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class VerifyDocumentContext : JsonSerializerContext;
}
