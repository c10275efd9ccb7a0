using System.Text;
using System.Text.Json;
using Coffer.Artifacts;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;

namespace Coffer.Tests.Artifacts;

public class IndexEditorTests
{
    private static readonly Reference Index = Reference.Parse("registry.example/app/multi:v1");

    private static Descriptor Entry(string seed) => new()
    {
        MediaType = MediaTypes.ImageManifest,
        Digest = Digest.Compute(Encoding.UTF8.GetBytes(seed)).ToString(),
        Size = seed.Length,
    };

    [Fact]
    public void Add_ADigestListedAlready_ChangesNothing()
    {
        var editor = new IndexEditor([Entry("a")]);

        var first = editor.Add(Entry("b"));
        var again = editor.Add(Entry("a"));

        Assert.True(first);
        Assert.False(again);
        Assert.Equal([Entry("a").Digest, Entry("b").Digest], editor.Entries.Select(e => e.Digest));
    }

    [Fact]
    public void Remove_TakesEveryEntryOfTheDigest()
    {
        var editor = new IndexEditor([Entry("a"), Entry("b"), Entry("a"), Entry("c")]);

        editor.Remove([Digest.Parse(Entry("a").Digest)], "the index");

        Assert.Equal([Entry("b").Digest, Entry("c").Digest], editor.Entries.Select(e => e.Digest));
    }

    [Fact]
    public void Remove_ADigestNotListed_NamesItAndRemovesNothing()
    {
        var editor = new IndexEditor([Entry("a"), Entry("b")]);
        var missing = Digest.Parse(Entry("zzz").Digest);

        var error = Assert.Throws<CofferException>(
            () => editor.Remove([Digest.Parse(Entry("a").Digest), missing], Index.ToString()));

        Assert.Contains($"{missing} is not in the index {Index}", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, editor.Entries.Count);
    }

    [Theory]
    [InlineData("linux-amd64", "linux-amd64")]
    [InlineData(":linux-amd64", "linux-amd64")]
    [InlineData("registry.example/app/multi:linux-amd64", "linux-amd64")]
    public void TagOrDigest_ReadsTagsInEveryForm(string source, string expected)
    {
        Assert.Equal(expected, IndexBuilder.TagOrDigest(source, Index));
    }

    [Fact]
    public void TagOrDigest_ReadsDigestsInEveryForm()
    {
        var digest = Entry("a").Digest;

        Assert.Equal(digest, IndexBuilder.TagOrDigest(digest, Index));
        Assert.Equal(digest, IndexBuilder.TagOrDigest("@" + digest, Index));
        Assert.Equal(digest, IndexBuilder.TagOrDigest($"registry.example/app/multi@{digest}", Index));
    }

    [Theory]
    [InlineData("registry.example/other/repo:v1", "another repository")]
    [InlineData("other.example/app/multi:v1", "another repository")]
    [InlineData("sha256:abc", "not a tag or a digest")]
    [InlineData("-bad", "not a tag or a digest")]
    [InlineData("registry.example/app/multi", "names no tag or digest")]
    public void TagOrDigest_RefusesWhatIsNotASourceOfThisIndex(string source, string message)
    {
        var error = Assert.Throws<UsageException>(() => IndexBuilder.TagOrDigest(source, Index));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_WritesTheOciFieldOrderAndPlainPlus()
    {
        var entry = Entry("a");
        entry.Platform = Platform.Parse("linux/arm64/v8");
        var index = new ImageIndex { ArtifactType = "application/vnd.example+json", Manifests = [entry] };

        var text = Encoding.UTF8.GetString(IndexBuilder.Serialize(index));

        Assert.StartsWith(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\"," +
            "\"artifactType\":\"application/vnd.example+json\",\"manifests\":[", text, StringComparison.Ordinal);
        Assert.Contains("\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}", text,
            StringComparison.Ordinal);
        Assert.DoesNotContain("annotations", text, StringComparison.Ordinal);
        using var parsed = JsonDocument.Parse(text);
    }
}
