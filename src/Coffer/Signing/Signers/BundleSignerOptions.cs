using Coffer.Diagnostics;
using Coffer.Signing.Keyless;
using Coffer.Signing.Keys;
using Coffer.Signing.Services;
using Coffer.Signing.Trust;

namespace Coffer.Signing.Signers;

/// <summary>How a <see cref="BundleSigner"/> signs: with a key or keyless, and which services it uses.</summary>
public sealed class BundleSignerOptions
{
    /// <summary>
    /// The service URLs (see <see cref="SigningConfig.Resolve"/>). A null <see cref="SigningServices.Timestamp"/>
    /// means no RFC 3161 timestamp; a null <see cref="SigningServices.Rekor"/> means no log entry.
    /// </summary>
    public required SigningServices Services { get; init; }

    /// <summary>The self-managed key (cosign <c>--key</c>); null signs keyless with an ephemeral key.</summary>
    public EcdsaSigner? Key { get; init; }

    /// <summary>Where keyless signing gets its OIDC token; required when <see cref="Key"/> is null.</summary>
    public IdentityTokenSource? IdentityTokens { get; init; }

    /// <summary>
    /// Whether to log the signature in Rekor (cosign <c>--tlog-upload</c>). Keyless signing needs a
    /// log entry or a timestamp to prove the signing time.
    /// </summary>
    public bool UploadToTransparencyLog { get; init; } = true;

    /// <summary>
    /// A trusted root to check each new bundle against before it is returned (spec-notes §4 step 8):
    /// chain, SCT, log entry and timestamps must verify, and a keyless certificate must name the
    /// token's issuer. Null skips the check.
    /// </summary>
    public TrustedRoot? VerifyWith { get; init; }

    /// <summary>The HTTP client for all services; null makes one that the signer owns.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>Debug log of requests (method, redacted URL, status); null for none.</summary>
    public DebugLog? Log { get; init; }
}
