using System.Security.Cryptography;

namespace Coffer.Testing.Internal;

/// <summary>Computes and checks <c>algorithm:hex</c> digests (sha256 and sha512).</summary>
internal static class Digests
{
    public static string Sha256(ReadOnlySpan<byte> content) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static bool IsDigest(string reference) =>
        reference.StartsWith("sha256:", StringComparison.Ordinal)
        || reference.StartsWith("sha512:", StringComparison.Ordinal);

    /// <summary>Returns the digest of <paramref name="content"/> in the algorithm of
    /// <paramref name="expected"/>, or null when that algorithm is unknown.</summary>
    public static string? ComputeLike(string expected, ReadOnlySpan<byte> content)
    {
        if (expected.StartsWith("sha256:", StringComparison.Ordinal))
        {
            return Sha256(content);
        }

        if (expected.StartsWith("sha512:", StringComparison.Ordinal))
        {
            return "sha512:" + Convert.ToHexStringLower(SHA512.HashData(content));
        }

        return null;
    }
}
