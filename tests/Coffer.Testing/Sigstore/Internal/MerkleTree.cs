using System.Security.Cryptography;

namespace Coffer.Testing.Sigstore.Internal;

/// <summary>An append-only RFC 6962 Merkle tree kept in memory (fine for test-sized logs).</summary>
internal sealed class MerkleTree
{
    private readonly List<byte[]> _leaves = [];

    public int Size => _leaves.Count;

    public static byte[] LeafHash(ReadOnlySpan<byte> data)
    {
        var input = new byte[data.Length + 1];
        data.CopyTo(input.AsSpan(1));
        return SHA256.HashData(input);
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var input = new byte[1 + left.Length + right.Length];
        input[0] = 0x01;
        left.CopyTo(input.AsSpan(1));
        right.CopyTo(input.AsSpan(1 + left.Length));
        return SHA256.HashData(input);
    }

    /// <summary>Appends a leaf and returns its index.</summary>
    public int Append(ReadOnlySpan<byte> data)
    {
        _leaves.Add(LeafHash(data));
        return _leaves.Count - 1;
    }

    /// <summary>MTH(D[0:size]) of RFC 6962 §2.1.</summary>
    public byte[] RootHash(int size) => size == 0 ? SHA256.HashData([]) : Hash(0, size);

    /// <summary>PATH(index, D[0:size]) of RFC 6962 §2.1.1, leaf to root.</summary>
    public List<byte[]> InclusionPath(int index, int size)
    {
        var path = new List<byte[]>();
        Path(index, 0, size, path);
        return path;
    }

    private static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }

    private byte[] Hash(int start, int count)
    {
        if (count == 1)
        {
            return _leaves[start];
        }

        var k = LargestPowerOfTwoBelow(count);
        return NodeHash(Hash(start, k), Hash(start + k, count - k));
    }

    private void Path(int index, int start, int count, List<byte[]> path)
    {
        if (count <= 1)
        {
            return;
        }

        var k = LargestPowerOfTwoBelow(count);
        if (index < k)
        {
            Path(index, start, k, path);
            path.Add(Hash(start + k, count - k));
        }
        else
        {
            Path(index - k, start + k, count - k, path);
            path.Add(Hash(start, k));
        }
    }
}
