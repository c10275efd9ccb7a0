using System.Text.Json.Serialization;
using Coffer.Signing.Bundles;

namespace Coffer.Cli.Output;

/// <summary><c>sign-blob --format json</c>: the file signed, its SHA-256 digest, and where the bundle went.</summary>
internal sealed partial class SignBlobDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string File { get; init; }

    public required string Digest { get; init; }

    public required string Bundle { get; init; }

    /// <param name="file">The file's full path.</param>
    /// <param name="bundlePath">Where the bundle was written.</param>
    /// <param name="bundle">The bundle, whose message digest is the digest that was signed.</param>
    public static SignBlobDocument From(string file, string bundlePath, Bundle bundle) => new()
    {
        File = file,
        Digest = "sha256:" + Convert.ToHexStringLower(bundle.MessageSignature?.MessageDigest?.Digest ?? []),
        Bundle = bundlePath,
    };

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, SignBlobDocumentContext.Default.SignBlobDocument);

    [JsonSerializable(typeof(SignBlobDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class SignBlobDocumentContext : JsonSerializerContext;
}
