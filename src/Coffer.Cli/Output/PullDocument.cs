using System.Text.Json.Serialization;
using Coffer.Artifacts;
using Coffer.Cli.Hosting;
using Coffer.Signing.Oci;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>pull --format json</c>: the manifest's reference (as ORAS prints it) and descriptor, the files
/// written, how many layers had no title, and with <c>--verify</c> what the signature check proved.
/// </summary>
internal sealed partial class PullDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Reference { get; init; }

    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public required IReadOnlyList<FileJson> Files { get; init; }

    public required int SkippedLayers { get; init; }

    public VerificationJson? Verified { get; init; }

    public static PullDocument From(TargetArgument reference, PullResult result, SignatureCheck? check) => new()
    {
        Reference = reference.WithDigest(result.Manifest.ParsedDigest()).ToString(),
        MediaType = result.Manifest.MediaType,
        Digest = result.Manifest.Digest,
        Size = result.Manifest.Size,
        Files = [.. result.Files.Select(f => FileJson.From(reference, f))],
        SkippedLayers = result.SkippedLayers,
        Verified = check is null ? null : VerificationJson.From(check.Result, check.Referrer),
    };

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, PullDocumentContext.Default.PullDocument);

    [JsonSerializable(typeof(PullDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class PullDocumentContext : JsonSerializerContext;
}
