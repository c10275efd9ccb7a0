using System.Security.Cryptography;
using System.Text;
using Coffer.Signing.Trust;

namespace Coffer.Signing.Verification;

/// <summary>Checks a checkpoint's signature with the trusted log key (spec-notes §3.5).</summary>
internal static class CheckpointVerifier
{
    private static readonly byte[] RsaKeyType = Encoding.ASCII.GetBytes("PKIX-RSA-PKCS#1v1.5");

    /// <summary>
    /// Verifies the note against the log and returns it; throws when no signature line of the log
    /// verifies, or when the note is malformed.
    /// </summary>
    public static SignedNote Verify(string? envelope, TransparencyLogInstance log, PublicKeyVerifier key)
    {
        var note = SignedNote.TryParse(envelope, out var failure)
            ?? throw new VerificationException(VerificationStep.Checkpoint, failure);

        // §3.5: a Rekor v2 note is named by the log's host, which its key id also commits to.
        // A Rekor v1 origin is "<name> - <tree id>"; private deployments name it after the server,
        // so its name is taken from the origin and the trusted key alone authenticates it.
        var name = KeyName(log);
        if (!key.IsEd25519 && RekorV1Name(note.Origin) is { } v1Name)
        {
            name = v1Name;
        }

        if (note.Origin != name && !(!key.IsEd25519 && RekorV1Name(note.Origin) == name))
        {
            throw new VerificationException(VerificationStep.Checkpoint,
                $"checkpoint origin '{note.Origin}' is not the trusted log '{name}'");
        }

        // §3.5: look at every line; ignore witnesses and unknown keys; one line of the log must verify.
        var hint = KeyHint(name, key);
        var message = Encoding.UTF8.GetBytes(note.SignedText);
        var candidates = 0;
        foreach (var line in note.Signatures)
        {
            if (line.KeyName != name || !line.KeyHint.AsSpan().SequenceEqual(hint))
            {
                continue;
            }

            candidates++;
            if (key.VerifyData(message, line.Signature))
            {
                return note;
            }
        }

        throw new VerificationException(VerificationStep.Checkpoint, candidates == 0
            ? $"the checkpoint has no signature line from the trusted log '{name}'"
            : $"the checkpoint signature of '{name}' does not verify with the trusted log key");
    }

    /// <summary>The name part of a Rekor v1 origin "<c>name - treeid</c>", or null.</summary>
    public static string? RekorV1Name(string origin)
    {
        var dash = origin.LastIndexOf(" - ", StringComparison.Ordinal);
        return dash > 0 && origin.Length > dash + 3 && origin[(dash + 3)..].All(char.IsAsciiDigit)
            ? origin[..dash]
            : null;
    }

    /// <summary>The signed-note key name of a log: its base URL without scheme or trailing slash.</summary>
    public static string KeyName(TransparencyLogInstance log)
    {
        var url = log.BaseUrl ?? "";
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return (scheme < 0 ? url : url[(scheme + 3)..]).TrimEnd('/');
    }

    /// <summary>The 4-byte key hint of a log key (C2SP signed-note, and the Sigstore rules for ECDSA).</summary>
    public static byte[] KeyHint(string name, PublicKeyVerifier key)
    {
        if (key.IsEd25519)
        {
            // SHA-256(name ‖ 0x0A ‖ 0x01 ‖ raw Ed25519 key)[:4].
            return SHA256.HashData([.. Encoding.UTF8.GetBytes(name), 0x0A, 0x01, .. key.Ed25519Key!])[..4];
        }

        if (key.Algorithm.StartsWith("RSA", StringComparison.Ordinal))
        {
            // SHA-256(name ‖ 0x0A ‖ 0xFF ‖ "PKIX-RSA-PKCS#1v1.5" ‖ SPKI)[:4].
            return SHA256.HashData([.. Encoding.UTF8.GetBytes(name), 0x0A, 0xFF, .. RsaKeyType, .. key.Spki])[..4];
        }

        // ECDSA: the first four bytes of SHA-256(SPKI DER), which is the Rekor v1 log id.
        return SHA256.HashData(key.Spki)[..4];
    }
}
