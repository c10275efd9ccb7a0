using System.Globalization;
using System.Text;
using Coffer.Signing.Bundles;

namespace Coffer.Signing.Verification;

/// <summary>Checks a Rekor v1 signed entry timestamp (spec-notes §3.6).</summary>
internal static class SignedEntryTimestampVerifier
{
    /// <summary>
    /// The RFC 8785 canonical JSON the log signed: the four keys sorted, no whitespace, integers as
    /// plain numbers, the body as standard base64 and the log id as lowercase hex.
    /// </summary>
    public static byte[] CanonicalPayload(TransparencyLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var body = Convert.ToBase64String(entry.CanonicalizedBody!);
        var logId = Convert.ToHexStringLower(entry.LogId!.KeyId!);
        return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{{\"body\":\"{body}\",\"integratedTime\":{entry.IntegratedTime},"
            + $"\"logID\":\"{logId}\",\"logIndex\":{entry.LogIndex}}}"));
    }

    /// <summary>Whether the SET verifies with the log key.</summary>
    public static bool Verify(TransparencyLogEntry entry, PublicKeyVerifier key) =>
        entry.InclusionPromise?.SignedEntryTimestamp is { } set && key.VerifyData(CanonicalPayload(entry), set);
}
