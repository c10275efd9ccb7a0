using System.Globalization;
using Coffer.Content;
using Coffer.Signing.Verification;

namespace Coffer.Cli.Output;

/// <summary>
/// What a signature check proved, as <c>verify</c>, <c>verify-blob</c> and <c>pull --verify</c> print it:
/// the signature referrer (registry checks only), the signer's identity and issuer or else the key, the
/// verified signing times and the log entries.
/// </summary>
internal sealed class VerificationJson
{
    public string? Signature { get; init; }

    public string? Identity { get; init; }

    public string? Issuer { get; init; }

    public string? Key { get; init; }

    public required IReadOnlyList<SignedTimeJson> SignedAt { get; init; }

    public required IReadOnlyList<LogEntryJson> LogEntries { get; init; }

    public static VerificationJson From(VerificationResult result, Descriptor? signature = null) => new()
    {
        Signature = signature?.Digest,
        Identity = result.SignerIdentity,
        Issuer = result.SignerIdentity is null ? null : result.Issuer,

        // As in the text output: a certificate names its signer, so the key is shown only for key bundles.
        Key = result.SignerIdentity is null ? result.KeyFingerprint : null,
        SignedAt =
        [
            .. result.VerifiedTimes.Select(t => new SignedTimeJson
            {
                Time = t.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                Source = t.Source == TimestampSource.TransparencyLog ? "transparencyLog" : "timestampAuthority",
                Authority = t.Authority,
            }),
        ],
        LogEntries =
        [
            .. result.LogEntries.Select(e => new LogEntryJson { Log = e.LogUrl ?? e.LogId, Index = e.LogIndex }),
        ],
    };
}
