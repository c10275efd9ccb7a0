using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>A signed tree head in the C2SP signed-note format.</summary>
public sealed class Checkpoint
{
    /// <summary>The full note text: body, blank line, signature lines.</summary>
    [JsonPropertyName("envelope")]
    public string? Envelope { get; set; }
}
