using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>A signature directly over the artifact bytes (what <c>cosign sign-blob</c> makes).</summary>
public sealed class MessageSignature
{
    /// <summary>
    /// The artifact digest. A hint only: it is compared with the artifact, never used instead of it.
    /// </summary>
    [JsonPropertyName("messageDigest")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HashOutput? MessageDigest { get; set; }

    /// <summary>The signature bytes (ASN.1 DER for ECDSA).</summary>
    [JsonPropertyName("signature")]
    public byte[]? Signature { get; set; }
}
