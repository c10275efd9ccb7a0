using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>A DSSE envelope: a typed payload and signatures over its pre-authentication encoding.</summary>
public sealed class DsseEnvelope
{
    /// <summary>The in-toto payload type.</summary>
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    /// <summary>The raw payload bytes.</summary>
    [JsonPropertyName("payload")]
    public byte[]? Payload { get; set; }

    /// <summary>The payload type, usually <see cref="InTotoPayloadType"/>.</summary>
    [JsonPropertyName("payloadType")]
    public string? PayloadType { get; set; }

    /// <summary>The signatures; a bundle carries exactly one.</summary>
    [JsonPropertyName("signatures")]
    public List<DsseSignature>? Signatures { get; set; }

    /// <summary>
    /// The DSSE v1 pre-authentication encoding:
    /// <c>"DSSEv1" SP len(type) SP type SP len(payload) SP payload</c>, lengths in ASCII decimal.
    /// </summary>
    public static byte[] PreAuthenticationEncoding(string payloadType, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} "));
        var middle = Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture, $" {payload.Length} "));
        var pae = new byte[header.Length + type.Length + middle.Length + payload.Length];
        header.CopyTo(pae, 0);
        type.CopyTo(pae, header.Length);
        middle.CopyTo(pae, header.Length + type.Length);
        payload.CopyTo(pae.AsSpan(header.Length + type.Length + middle.Length));
        return pae;
    }
}
