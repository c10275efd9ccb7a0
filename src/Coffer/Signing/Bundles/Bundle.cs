using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>
/// A Sigstore bundle (<c>dev.sigstore.bundle.v1.Bundle</c>): the signature, the key material and
/// the log and timestamp evidence. Exactly one of <see cref="MessageSignature"/> and
/// <see cref="DsseEnvelope"/> is set. Use <see cref="BundleSerializer"/> to read and write one.
/// </summary>
public sealed class Bundle
{
    /// <summary>The media type, which carries the bundle version.</summary>
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; set; }

    /// <summary>The key material and evidence.</summary>
    [JsonPropertyName("verificationMaterial")]
    public VerificationMaterial? VerificationMaterial { get; set; }

    /// <summary>A signature over the artifact bytes.</summary>
    [JsonPropertyName("messageSignature")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MessageSignature? MessageSignature { get; set; }

    /// <summary>A DSSE envelope (an attestation).</summary>
    [JsonPropertyName("dsseEnvelope")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DsseEnvelope? DsseEnvelope { get; set; }

    /// <summary>The version the media type names; <see cref="BundleVersion.Unknown"/> if none.</summary>
    [JsonIgnore]
    public BundleVersion Version => BundleMediaTypes.VersionOf(MediaType);
}
