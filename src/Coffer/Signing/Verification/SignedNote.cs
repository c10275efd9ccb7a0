using System.Globalization;

namespace Coffer.Signing.Verification;

/// <summary>
/// A parsed C2SP signed note holding a transparency-log checkpoint: origin, tree size, root hash,
/// optional extension lines, a blank line, then signature lines.
/// </summary>
internal sealed class SignedNote
{
    private const int MaxNoteLength = 1 << 20;

    private const int MaxSignatureLines = 64;

    private const string SignatureLinePrefix = "\u2014 ";

    private SignedNote(string signedText, string origin, long treeSize, byte[] rootHash,
        IReadOnlyList<SignedNoteSignature> signatures)
    {
        SignedText = signedText;
        Origin = origin;
        TreeSize = treeSize;
        RootHash = rootHash;
        Signatures = signatures;
    }

    /// <summary>The bytes the signatures cover: every text line with its newline.</summary>
    public string SignedText { get; }

    /// <summary>The first line: the log's origin.</summary>
    public string Origin { get; }

    /// <summary>The tree size the checkpoint commits to.</summary>
    public long TreeSize { get; }

    /// <summary>The root hash the checkpoint commits to.</summary>
    public byte[] RootHash { get; }

    /// <summary>The signature lines, in order.</summary>
    public IReadOnlyList<SignedNoteSignature> Signatures { get; }

    /// <summary>Parses a note; returns null with a reason when it is malformed.</summary>
    public static SignedNote? TryParse(string? envelope, out string failure)
    {
        failure = "";
        if (string.IsNullOrEmpty(envelope) || envelope.Length > MaxNoteLength)
        {
            failure = "the checkpoint is empty or too large";
            return null;
        }

        // C2SP signed-note: the text ends at the first blank line; it is signed with its final newline.
        var split = envelope.IndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            failure = "the checkpoint has no blank line before its signatures";
            return null;
        }

        var text = envelope[..(split + 1)];
        var lines = text[..^1].Split('\n');

        // C2SP tlog-checkpoint: origin, decimal tree size, base64 root hash, then extensions.
        if (lines.Length < 3 || lines[0].Length == 0)
        {
            failure = "the checkpoint lacks its origin, tree size or root hash line";
            return null;
        }

        if (lines[1].Length == 0 || !lines[1].All(char.IsAsciiDigit) || (lines[1].Length > 1 && lines[1][0] == '0')
            || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            failure = "the checkpoint's second line is not a tree size";
            return null;
        }

        var rootHash = TryBase64(lines[2]);
        if (rootHash is not { Length: 32 })
        {
            failure = "the checkpoint's third line is not a base64 SHA-256 root hash";
            return null;
        }

        var signatures = ParseSignatures(envelope[(split + 2)..], out failure);
        if (signatures is null)
        {
            return null;
        }

        return new SignedNote(text, lines[0], size, rootHash, signatures);
    }

    private static List<SignedNoteSignature>? ParseSignatures(string block, out string failure)
    {
        failure = "";
        if (!block.EndsWith('\n'))
        {
            failure = "the checkpoint's signature block does not end with a newline";
            return null;
        }

        var lines = block[..^1].Split('\n');
        if (lines.Length == 0 || lines.Length > MaxSignatureLines)
        {
            failure = "the checkpoint has no signature lines, or too many";
            return null;
        }

        var signatures = new List<SignedNoteSignature>();
        foreach (var line in lines)
        {
            // "— <key name> <base64(4-byte key hint ‖ signature)>", the dash being U+2014.
            var space = line.LastIndexOf(' ');
            if (!line.StartsWith(SignatureLinePrefix, StringComparison.Ordinal) || space <= SignatureLinePrefix.Length)
            {
                failure = "a checkpoint signature line is malformed";
                return null;
            }

            var name = line[SignatureLinePrefix.Length..space];
            var blob = TryBase64(line[(space + 1)..]);
            if (name.Length == 0 || name.Contains(' ', StringComparison.Ordinal) || blob is not { Length: > 4 })
            {
                failure = "a checkpoint signature line is malformed";
                return null;
            }

            signatures.Add(new SignedNoteSignature(name, blob[..4], blob[4..]));
        }

        return signatures;
    }

    private static byte[]? TryBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }
}
