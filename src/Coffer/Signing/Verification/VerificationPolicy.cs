using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Coffer.Signing.Trust;

namespace Coffer.Signing.Verification;

/// <summary>
/// What the caller requires of a bundle. The caller picks the mode (a certificate identity and
/// issuer, or a public key); the bundle never does (spec-notes §3.0 step 4).
/// </summary>
public sealed record VerificationPolicy
{
    /// <summary>The OIDC issuer of GitHub Actions tokens.</summary>
    public const string GitHubActionsIssuer = "https://token.actions.githubusercontent.com";

    private VerificationPolicy(StringMatcher? identity, StringMatcher? issuer, byte[]? publicKey)
    {
        Identity = identity;
        Issuer = issuer;
        PublicKey = publicKey;
    }

    /// <summary>The required signer identity (a SAN value), for certificate policies.</summary>
    public StringMatcher? Identity { get; }

    /// <summary>The required OIDC issuer, for certificate policies.</summary>
    public StringMatcher? Issuer { get; }

    /// <summary>The SPKI DER of the required key, for key policies.</summary>
    public byte[]? PublicKey { get; }

    /// <summary>Whether this policy verifies with a public key rather than a certificate.</summary>
    public bool IsKeyBased => PublicKey is not null;

    /// <summary>
    /// When the public key may have signed: every verified time must lie in it (closed interval).
    /// Null means the key has no window.
    /// </summary>
    public ValidityPeriod? PublicKeyValidFor { get; init; }

    /// <summary>
    /// How many distinct trusted logs must hold a verified entry; 0 disables the requirement
    /// (cosign <c>--insecure-ignore-tlog</c>). Default 1.
    /// </summary>
    public int TransparencyLogThreshold { get; init; } = 1;

    /// <summary>
    /// How many distinct timestamp authorities must vouch for the signature (cosign
    /// <c>--use-signed-timestamps</c> sets 1). Default 0.
    /// </summary>
    public int SignedTimestampThreshold { get; init; }

    /// <summary>Whether the leaf must carry a valid SCT (default true; cosign <c>--insecure-ignore-sct</c>).</summary>
    public bool RequireSignedCertificateTimestamp { get; init; } = true;

    /// <summary>Whether a v0.3 bundle may carry a certificate chain instead of a single leaf.</summary>
    public bool AllowCertificateChain { get; init; }

    /// <summary>A certificate policy with exact or pattern matchers for identity and issuer.</summary>
    public static VerificationPolicy ForCertificate(StringMatcher identity, StringMatcher issuer)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(issuer);
        return new VerificationPolicy(identity, issuer, null);
    }

    /// <summary>A certificate policy for an exact identity and an exact issuer.</summary>
    public static VerificationPolicy ForIdentity(string identity, string issuer) =>
        ForCertificate(StringMatcher.Equal(identity), StringMatcher.Equal(issuer));

    /// <summary>A key policy for a public key given as SPKI DER (ECDSA, RSA or Ed25519).</summary>
    /// <exception cref="CryptographicException">The key is malformed or unsupported.</exception>
    public static VerificationPolicy ForPublicKey(ReadOnlySpan<byte> spki)
    {
        var copy = spki.ToArray();
        using (PublicKeyVerifier.FromSpki(copy))
        {
            // Parsing proves the key is usable before any bundle is read.
        }

        return new VerificationPolicy(null, null, copy);
    }

    /// <summary>A key policy for a PEM <c>PUBLIC KEY</c> (such as <c>cosign.pub</c>).</summary>
    /// <exception cref="CryptographicException">The PEM holds no usable public key.</exception>
    public static VerificationPolicy ForPublicKeyPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var fields = PemEncoding.TryFind(pem, out var found) ? found
            : throw new CryptographicException("no PEM block found in the public key");
        if (!pem.AsSpan()[fields.Label].SequenceEqual("PUBLIC KEY"))
        {
            throw new CryptographicException($"expected a PEM PUBLIC KEY, found {pem[fields.Label]}");
        }

        return ForPublicKey(Convert.FromBase64String(pem[fields.Base64Data]));
    }

    /// <summary>
    /// A policy for a GitHub Actions workflow, written <c>owner/repo/.github/workflows/file[@ref]</c>.
    /// The identity is <c>https://github.com/owner/repo/.github/workflows/file@ref</c> and the
    /// issuer <see cref="GitHubActionsIssuer"/>. Without a ref any <c>refs/…</c> matches; a short
    /// ref such as <c>main</c> means <c>refs/heads/main</c>; a version-like ref such as <c>v1</c>
    /// may be a branch or a tag, so both <c>refs/heads/v1</c> and <c>refs/tags/v1</c> match.
    /// </summary>
    /// <exception cref="ArgumentException">The workflow is not in that form.</exception>
    public static VerificationPolicy GitHubWorkflow(string workflow)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflow);
        var at = workflow.IndexOf('@', StringComparison.Ordinal);
        var path = at < 0 ? workflow : workflow[..at];
        var reference = at < 0 ? null : workflow[(at + 1)..];
        var parts = path.Split('/');
        if (parts.Length != 5 || parts[2] != ".github" || parts[3] != "workflows"
            || parts.Any(p => p.Length == 0 || p.Any(char.IsWhiteSpace)) || reference is "")
        {
            throw new ArgumentException(
                $"'{workflow}' is not <owner>/<repo>/.github/workflows/<file>[@<ref>]", nameof(workflow));
        }

        var prefix = $"https://github.com/{path}@";
        var issuer = StringMatcher.Equal(GitHubActionsIssuer);
        if (reference is null)
        {
            return ForCertificate(StringMatcher.Regex($"{Regex.Escape(prefix)}refs/.+"), issuer);
        }

        if (reference.StartsWith("refs/", StringComparison.Ordinal))
        {
            return ForCertificate(StringMatcher.Equal(prefix + reference), issuer);
        }

        if (LooksLikeVersion(reference))
        {
            return ForCertificate(
                StringMatcher.Regex($"{Regex.Escape(prefix)}refs/(?:heads|tags)/{Regex.Escape(reference)}"), issuer);
        }

        return ForCertificate(StringMatcher.Equal($"{prefix}refs/heads/{reference}"), issuer);
    }

    /// <inheritdoc />
    public override string ToString() => IsKeyBased
        ? "public key"
        : $"identity {Identity} from issuer {Issuer}";

    private static bool LooksLikeVersion(string reference)
    {
        var rest = reference.StartsWith('v') || reference.StartsWith('V') ? reference[1..] : reference;
        return rest.Length > 0 && char.IsAsciiDigit(rest[0]);
    }
}
