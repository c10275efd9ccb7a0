using System.Text;
using Coffer.Signing.Verification;
using Coffer.Testing.Sigstore;

namespace Coffer.Tests.Signing.Verification;

public sealed class MerkleInclusionTests
{
    [Fact]
    public void RootFromProof_MatchesTheTreeForEveryIndexAndSize()
    {
        var tree = new TestMerkleTree();
        for (var size = 1; size <= 33; size++)
        {
            tree.Append(Encoding.UTF8.GetBytes($"leaf {size - 1}"));
            for (var index = 0; index < size; index++)
            {
                var leaf = MerkleInclusion.HashLeaf(Encoding.UTF8.GetBytes($"leaf {index}"));

                var root = MerkleInclusion.RootFromProof(index, size, leaf, tree.AuditPath(index, size));

                Assert.Equal(tree.Root(size), root);
            }
        }
    }

    [Fact]
    public void RootFromProof_WrongIndexOrLength_IsRefused()
    {
        var tree = new TestMerkleTree();
        for (var i = 0; i < 10; i++)
        {
            tree.Append([(byte)i]);
        }

        var leaf = MerkleInclusion.HashLeaf([3]);
        var path = tree.AuditPath(3, 10);

        Assert.NotEqual(tree.Root(10), MerkleInclusion.RootFromProof(4, 10, leaf, path));
        Assert.Null(MerkleInclusion.RootFromProof(3, 10, leaf, [.. path, new byte[32]]));
        Assert.Null(MerkleInclusion.RootFromProof(3, 10, leaf, path[..^1]));
        Assert.Null(MerkleInclusion.RootFromProof(10, 10, leaf, path));
        Assert.Null(MerkleInclusion.RootFromProof(-1, 10, leaf, path));
    }
}
