using System.Security.Cryptography;

namespace Coffer.Testing.Sigstore;

/// <summary>
/// An in-memory RFC 6962 Merkle tree, computed from the definitions (MTH and PATH of RFC 6962
/// §2.1) rather than the iterative check the verifier uses, so the two cross-check each other.
/// </summary>
public sealed class TestMerkleTree
{
    private readonly List<byte[]> _leafHashes = [];

    /// <summary>The number of leaves.</summary>
    public long Size => _leafHashes.Count;

    /// <summary>Appends a leaf (its input bytes) and returns its index.</summary>
    public long Append(ReadOnlySpan<byte> leaf)
    {
        _leafHashes.Add(HashLeaf(leaf));
        return _leafHashes.Count - 1;
    }

    /// <summary>The root hash of the first <paramref name="size"/> leaves.</summary>
    public byte[] Root(long size) => Mth(0, (int)size);

    /// <summary>The audit path of leaf <paramref name="index"/> in a tree of <paramref name="size"/>.</summary>
    public List<byte[]> AuditPath(long index, long size) => Path((int)index, 0, (int)size);

    /// <summary>SHA-256(0x00 ‖ leaf).</summary>
    public static byte[] HashLeaf(ReadOnlySpan<byte> leaf) => SHA256.HashData([0, .. leaf]);

    private static byte[] HashNode(byte[] left, byte[] right) => SHA256.HashData([1, .. left, .. right]);

    private static int SplitPoint(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }

    private byte[] Mth(int start, int n)
    {
        if (n == 0)
        {
            return SHA256.HashData([]);
        }

        if (n == 1)
        {
            return _leafHashes[start];
        }

        var k = SplitPoint(n);
        return HashNode(Mth(start, k), Mth(start + k, n - k));
    }

    private List<byte[]> Path(int m, int start, int n)
    {
        if (n <= 1)
        {
            return [];
        }

        var k = SplitPoint(n);
        if (m < k)
        {
            var path = Path(m, start, k);
            path.Add(Mth(start + k, n - k));
            return path;
        }

        var right = Path(m - k, start + k, n - k);
        right.Add(Mth(start, k));
        return right;
    }
}
