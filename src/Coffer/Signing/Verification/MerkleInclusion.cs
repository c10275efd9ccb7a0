using System.Security.Cryptography;

namespace Coffer.Signing.Verification;

/// <summary>RFC 6962 Merkle tree hashing and RFC 9162 §2.1.3.2 inclusion-proof checking.</summary>
internal static class MerkleInclusion
{
    /// <summary>The leaf hash: SHA-256(0x00 ‖ leaf).</summary>
    public static byte[] HashLeaf(ReadOnlySpan<byte> leaf)
    {
        var buffer = new byte[leaf.Length + 1];
        leaf.CopyTo(buffer.AsSpan(1));
        return SHA256.HashData(buffer);
    }

    /// <summary>An interior node hash: SHA-256(0x01 ‖ left ‖ right).</summary>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + left.Length + right.Length];
        buffer[0] = 1;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + left.Length)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>
    /// Computes the root the audit path leads to, or null when the path cannot belong to a tree of
    /// that size (wrong length, index out of range).
    /// </summary>
    public static byte[]? RootFromProof(long index, long treeSize, byte[] leafHash, IReadOnlyList<byte[]> path)
    {
        // RFC 9162 §2.1.3.2 step 1: the index must lie inside the tree.
        if (index < 0 || index >= treeSize)
        {
            return null;
        }

        // Step 2: fn = index, sn = size - 1, r = leaf hash.
        var fn = index;
        var sn = treeSize - 1;
        var r = leafHash;

        // Step 3: fold in each sibling, leaf to root.
        foreach (var p in path)
        {
            if (p is not { Length: 32 } || sn == 0)
            {
                return null;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = HashChildren(p, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                r = HashChildren(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        // Step 4: the path must have reached the top.
        return sn == 0 ? r : null;
    }
}
