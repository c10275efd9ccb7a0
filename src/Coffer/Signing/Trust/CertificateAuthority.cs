using System.Text.Json.Serialization;
using Coffer.Signing.Bundles;

namespace Coffer.Signing.Trust;

/// <summary>A Fulcio CA or an RFC 3161 timestamp authority that the trusted root vouches for.</summary>
public sealed class CertificateAuthority
{
    /// <summary>The CA's subject.</summary>
    [JsonPropertyName("subject")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DistinguishedName? Subject { get; set; }

    /// <summary>The service URL.</summary>
    [JsonPropertyName("uri")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Uri { get; set; }

    /// <summary>The chain, issuing certificate first; the last certificate is the trust anchor.</summary>
    [JsonPropertyName("certChain")]
    public CertificateChain? CertChain { get; set; }

    /// <summary>When the CA may be used.</summary>
    [JsonPropertyName("validFor")]
    public ValidityPeriod? ValidFor { get; set; }

    /// <summary>Who runs the CA.</summary>
    [JsonPropertyName("operator")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Operator { get; set; }

    /// <summary>A short name for messages: the URI, else the common name.</summary>
    [JsonIgnore]
    public string DisplayName => Uri ?? Subject?.CommonName ?? Subject?.Organization ?? "(unnamed)";
}
