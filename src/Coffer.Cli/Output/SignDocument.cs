using System.Text.Json.Serialization;
using Coffer.Cli.Hosting;
using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>sign --format json</c>: the signed manifest, by digest, its descriptor, and the digest of the
/// signature referrer attached to it.
/// </summary>
internal sealed partial class SignDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Reference { get; init; }

    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public required string Signature { get; init; }

    public static SignDocument From(TargetArgument reference, Descriptor subject, Descriptor signature) => new()
    {
        Reference = reference.WithDigest(subject.ParsedDigest()).ToString(),
        MediaType = subject.MediaType,
        Digest = subject.Digest,
        Size = subject.Size,
        Signature = signature.Digest,
    };

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, SignDocumentContext.Default.SignDocument);

    [JsonSerializable(typeof(SignDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class SignDocumentContext : JsonSerializerContext;
}
