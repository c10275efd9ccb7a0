using System.Text.Json.Serialization;
using Coffer.Credentials;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>login --format json</c>: the registry, where the credential was stored (a config file's path or a
/// credential helper), and whether it is there in plain text.
/// </summary>
internal sealed partial class LoginDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Registry { get; init; }

    public required string StoredIn { get; init; }

    public required bool Plaintext { get; init; }

    public static LoginDocument From(string registry, StoreResult stored) => new()
    {
        Registry = registry,
        StoredIn = stored.Location,
        Plaintext = stored.IsPlaintext,
    };

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, LoginDocumentContext.Default.LoginDocument);

    [JsonSerializable(typeof(LoginDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class LoginDocumentContext : JsonSerializerContext;
}
