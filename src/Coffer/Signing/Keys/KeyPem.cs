using System.Security.Cryptography;
using System.Text;

namespace Coffer.Signing.Keys;

/// <summary>Finds, writes and reads the PEM blocks of key files, with size limits.</summary>
internal static class KeyPem
{
    /// <summary>
    /// The largest key file accepted, in characters or bytes. A cosign P-256 key is about 700
    /// bytes and an RSA-8192 public key about 1.5 KiB; the limit only keeps junk out of memory.
    /// </summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>
    /// Decodes the first PEM block of <paramref name="text"/>, which must carry one of
    /// <paramref name="labels"/>. The caller names the input in <paramref name="source"/>.
    /// </summary>
    /// <exception cref="KeyFileException">No PEM block, another label, or too large.</exception>
    public static byte[] Decode(string text, string source, IReadOnlyList<string> labels, string hint)
    {
        if (text.Length > MaxLength)
        {
            throw new KeyFileException(
                KeyFileProblem.TooLarge,
                $"{Capitalize(source)} is larger than {MaxLength / 1024} KiB, too large for a key file.",
                hint);
        }

        if (!PemEncoding.TryFind(text, out PemFields fields))
        {
            throw new KeyFileException(
                KeyFileProblem.NotPem,
                $"{Capitalize(source)} holds no PEM block (-----BEGIN {labels[0]}-----).",
                hint);
        }

        string label = text[fields.Label];
        if (!labels.Contains(label, StringComparer.Ordinal))
        {
            string expected = string.Join(" or ", labels.Select(l => $"'{l}'"));
            throw new KeyFileException(
                KeyFileProblem.WrongLabel,
                $"{Capitalize(source)} is a PEM '{label}' block, but {expected} was expected.",
                hint);
        }

        // TryFind has already checked that the body is valid base64.
        return Convert.FromBase64String(text[fields.Base64Data]);
    }

    /// <summary>Writes a PEM block with 64-column lines and a final line break.</summary>
    public static string Write(string label, ReadOnlySpan<byte> data) =>
        new string(PemEncoding.Write(label, data)) + "\n";

    /// <summary>Reads a key file as UTF-8 text, refusing files over <see cref="MaxLength"/>.</summary>
    /// <exception cref="KeyFileException">The file is missing, unreadable or too large.</exception>
    public static async Task<string> ReadFileAsync(
        string path,
        string source,
        string hint,
        CancellationToken cancellationToken)
    {
        try
        {
            var stream = new FileStream(
                path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                // One byte more than allowed tells a file at the limit from a larger one.
                var buffer = new byte[MaxLength + 1];
                int total = 0;
                int read;
                while (total < buffer.Length
                       && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)
                           .ConfigureAwait(false)) > 0)
                {
                    total += read;
                }

                if (total > MaxLength)
                {
                    throw new KeyFileException(
                        KeyFileProblem.TooLarge,
                        $"{Capitalize(source)} is larger than {MaxLength / 1024} KiB, too large for a key file.",
                        hint);
                }

                return Encoding.UTF8.GetString(buffer, 0, total);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException(
                KeyFileProblem.Unreadable,
                $"Cannot read {source}: {e.Message}",
                "Check the path and that you may read the file.");
        }
    }

    /// <summary>Upper-cases the first letter of a source description for a sentence start.</summary>
    public static string Capitalize(string source) =>
        source.Length == 0 ? source : char.ToUpperInvariant(source[0]) + source[1..];
}
