using System.Text.Json.Serialization;

namespace Coffer.Signing.Trust;

/// <summary>A log's public key with its algorithm and validity (<c>dev.sigstore.common.v1.PublicKey</c>).</summary>
public sealed class TrustedPublicKey
{
    /// <summary>The SPKI DER bytes.</summary>
    [JsonPropertyName("rawBytes")]
    public byte[]? RawBytes { get; set; }

    /// <summary>The algorithm, such as <c>PKIX_ECDSA_P256_SHA_256</c> or <c>PKIX_ED25519</c>.</summary>
    [JsonPropertyName("keyDetails")]
    public string? KeyDetails { get; set; }

    /// <summary>When the key may be used.</summary>
    [JsonPropertyName("validFor")]
    public ValidityPeriod? ValidFor { get; set; }
}
