using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>
/// Names a self-managed key. The hint is not authenticated: it only helps pick a key; the key
/// itself always comes from the caller.
/// </summary>
public sealed class PublicKeyIdentifier
{
    /// <summary>An opaque hint, usually base64 of SHA-256 over the key's SPKI DER.</summary>
    [JsonPropertyName("hint")]
    public string? Hint { get; set; }
}
