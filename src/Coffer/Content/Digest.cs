using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Coffer.Content;

/// <summary>
/// A content digest, <c>algorithm:hex</c>, as the OCI image specification defines it. Only the
/// registered algorithms <c>sha256</c> and <c>sha512</c> are accepted, with lower-case hex of the
/// exact length.
/// </summary>
public readonly record struct Digest
{
    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    /// <summary>The algorithm, <c>sha256</c> or <c>sha512</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The encoded hash, lower-case hex.</summary>
    public string Hex { get; }

    /// <summary>The digest of the empty JSON object <c>{}</c>.</summary>
    /// <remarks>Written out rather than computed, so touching it does not load the crypto library.</remarks>
    public static Digest EmptyJson { get; } =
        Parse("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");

    /// <summary>Parses a digest string.</summary>
    /// <exception cref="FormatException">The text is not a supported digest.</exception>
    public static Digest Parse(string text)
    {
        if (TryParse(text, out var digest, out var error))
        {
            return digest;
        }

        throw new FormatException(error);
    }

    /// <summary>Parses a digest string, reporting what is wrong with it.</summary>
    public static bool TryParse(
        string? text, out Digest digest, [NotNullWhen(false)] out string? error)
    {
        digest = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "the digest is empty";
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            error = $"digest '{Truncate(text)}' has no algorithm; write it as sha256:<64 hex digits>";
            return false;
        }

        var algorithm = text[..colon];
        var hex = text[(colon + 1)..];
        var length = algorithm switch
        {
            "sha256" => 64,
            "sha512" => 128,
            _ => -1,
        };
        if (length < 0)
        {
            error = $"digest algorithm '{Truncate(algorithm)}' is not supported; use sha256 or sha512";
            return false;
        }

        if (hex.Length != length || !IsLowerHex(hex))
        {
            error = $"digest '{Truncate(text)}' must have {length} lower-case hex digits after '{algorithm}:'";
            return false;
        }

        digest = new Digest(algorithm, hex);
        error = null;
        return true;
    }

    /// <summary>Computes the SHA-256 digest of some bytes.</summary>
    public static Digest Compute(ReadOnlySpan<byte> content) =>
        new("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));

    /// <summary>
    /// Loads the crypto library on a pool thread. The first hash of a process waits milliseconds for
    /// it; a command that will hash content starts this first and does its other set-up meanwhile.
    /// </summary>
    public static void Preload() => _ = Task.Run(() => SHA256.HashData(ReadOnlySpan<byte>.Empty));

    /// <summary>Builds a digest from a finished hash.</summary>
    public static Digest FromHash(string algorithm, byte[] hash) =>
        new(algorithm, Convert.ToHexStringLower(hash));

    /// <summary>Creates an incremental hash of this digest's algorithm.</summary>
    public IncrementalHash CreateHash() => CreateHash(Algorithm);

    /// <summary>Creates an incremental hash for an algorithm name.</summary>
    public static IncrementalHash CreateHash(string algorithm) => algorithm switch
    {
        "sha512" => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
    };

    /// <summary>Checks bytes against this digest.</summary>
    public bool Matches(ReadOnlySpan<byte> content)
    {
        var hash = Algorithm == "sha512" ? SHA512.HashData(content) : SHA256.HashData(content);
        return string.Equals(Convert.ToHexStringLower(hash), Hex, StringComparison.Ordinal);
    }

    /// <summary>The first twelve hex digits, as status lines show a blob.</summary>
    public string ShortHex => Hex[..12];

    /// <inheritdoc/>
    public override string ToString() => Algorithm is null ? "" : $"{Algorithm}:{Hex}";

    private static bool IsLowerHex(string hex)
    {
        foreach (var c in hex)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
