using System.Text.Json.Serialization;
using Coffer.Signing.Bundles;

namespace Coffer.Signing.Trust;

/// <summary>A Rekor log or a certificate-transparency log that the trusted root vouches for.</summary>
public sealed class TransparencyLogInstance
{
    /// <summary>The log URL; for Rekor v2 its host is the checkpoint origin.</summary>
    [JsonPropertyName("baseUrl")]
    public string? BaseUrl { get; set; }

    /// <summary>The Merkle tree hash, <c>SHA2_256</c>.</summary>
    [JsonPropertyName("hashAlgorithm")]
    public string? HashAlgorithm { get; set; }

    /// <summary>The log's public key.</summary>
    [JsonPropertyName("publicKey")]
    public TrustedPublicKey? PublicKey { get; set; }

    /// <summary>The log id bundles name it by.</summary>
    [JsonPropertyName("logId")]
    public LogId? LogId { get; set; }

    /// <summary>The signed-note key id of the checkpoint key, when given (v0.2 roots).</summary>
    [JsonPropertyName("checkpointKeyId")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LogId? CheckpointKeyId { get; set; }

    /// <summary>Who runs the log.</summary>
    [JsonPropertyName("operator")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Operator { get; set; }
}
