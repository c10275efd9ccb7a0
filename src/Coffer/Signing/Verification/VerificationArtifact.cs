using System.Security.Cryptography;

namespace Coffer.Signing.Verification;

/// <summary>
/// The artifact a bundle is checked against: its bytes (from memory, a stream or a file), or only
/// its digest given as <c>sha256:&lt;hex&gt;</c>.
/// </summary>
public sealed class VerificationArtifact
{
    private readonly Dictionary<string, byte[]> _digests;

    private VerificationArtifact(byte[]? bytes, Dictionary<string, byte[]> digests, string description)
    {
        Bytes = bytes;
        _digests = digests;
        Description = description;
    }

    /// <summary>The artifact bytes, when they were given in memory.</summary>
    public ReadOnlyMemory<byte>? Content => Bytes;

    /// <summary>A short description for messages.</summary>
    public string Description { get; }

    /// <summary>The SHA-256 digest, unless only another digest was given.</summary>
    public ReadOnlyMemory<byte>? Sha256 => DigestOf("sha256");

    internal byte[]? Bytes { get; }

    /// <summary>An artifact held in memory.</summary>
    public static VerificationArtifact FromBytes(ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        return new VerificationArtifact(copy, new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["sha256"] = SHA256.HashData(copy),
            ["sha384"] = SHA384.HashData(copy),
            ["sha512"] = SHA512.HashData(copy),
        }, $"{copy.Length} bytes");
    }

    /// <summary>An artifact read from a stream once, keeping only its digests.</summary>
    public static VerificationArtifact FromStream(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sha384 = IncrementalHash.CreateHash(HashAlgorithmName.SHA384);
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            sha256.AppendData(buffer, 0, read);
            sha384.AppendData(buffer, 0, read);
            sha512.AppendData(buffer, 0, read);
            total += read;
        }

        return new VerificationArtifact(null, new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["sha256"] = sha256.GetHashAndReset(),
            ["sha384"] = sha384.GetHashAndReset(),
            ["sha512"] = sha512.GetHashAndReset(),
        }, $"a stream of {total} bytes");
    }

    /// <summary>An artifact read from a file, keeping only its digests.</summary>
    public static VerificationArtifact FromFile(string path)
    {
        using var stream = File.OpenRead(path);
        var artifact = FromStream(stream);
        return new VerificationArtifact(null, artifact._digests, path);
    }

    /// <summary>
    /// An artifact known only by its digest, written <c>sha256:&lt;hex&gt;</c> (also
    /// <c>sha384:</c> and <c>sha512:</c>, which only DSSE subjects can match).
    /// </summary>
    /// <exception cref="FormatException">The digest is malformed.</exception>
    public static VerificationArtifact FromDigest(string digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        var algorithm = colon < 0 ? "" : digest[..colon];
        var hex = colon < 0 ? "" : digest[(colon + 1)..];
        var length = algorithm switch
        {
            "sha256" => 64,
            "sha384" => 96,
            "sha512" => 128,
            _ => throw new FormatException($"artifact digest '{digest}' is not sha256:<hex>"),
        };
        if (hex.Length != length || !hex.All(char.IsAsciiHexDigitLower))
        {
            throw new FormatException($"artifact digest '{digest}' needs {length} lowercase hex digits");
        }

        var digests = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [algorithm] = Convert.FromHexString(hex),
        };
        return new VerificationArtifact(null, digests, digest);
    }

    /// <summary>Whether a text looks like an <c>algorithm:hex</c> digest rather than a path.</summary>
    public static bool LooksLikeDigest(string text) =>
        text is not null
        && ((text.StartsWith("sha256:", StringComparison.Ordinal) && text.Length == 71)
            || (text.StartsWith("sha384:", StringComparison.Ordinal) && text.Length == 103)
            || (text.StartsWith("sha512:", StringComparison.Ordinal) && text.Length == 135));

    /// <summary>The digest for an algorithm name (<c>sha256</c>, <c>sha384</c>, <c>sha512</c>), if known.</summary>
    internal byte[]? DigestOf(string algorithm) => _digests.GetValueOrDefault(algorithm);

    /// <summary>The digest for a hash algorithm, if known.</summary>
    internal byte[]? DigestOf(HashAlgorithmName hash) => DigestOf(NameOf(hash));

    internal static string NameOf(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA384 ? "sha384" : hash == HashAlgorithmName.SHA512 ? "sha512" : "sha256";
}
