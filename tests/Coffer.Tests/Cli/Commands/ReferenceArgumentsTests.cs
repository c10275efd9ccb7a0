using Coffer.Cli.Commands;
using Coffer.Errors;

namespace Coffer.Tests.Cli.Commands;

public class ReferenceArgumentsTests
{
    private const string Digest = "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

    [Fact]
    public void WithTags_CommaList_FirstTagIsTheReferences()
    {
        var (reference, tags) = ReferenceArguments.WithTags("reg.example/repo:t1,t2,t3");

        Assert.Equal("t1", reference.Tag);
        Assert.Equal("repo", reference.Repository);
        Assert.Equal(["t1", "t2", "t3"], tags);
    }

    [Fact]
    public void WithTags_RegistryWithPort_IsNotMistakenForATag()
    {
        var (reference, tags) = ReferenceArguments.WithTags("localhost:5000/team/app:v1,latest");

        Assert.Equal("localhost:5000", reference.Registry);
        Assert.Equal("team/app", reference.Repository);
        Assert.Equal(["v1", "latest"], tags);
    }

    [Fact]
    public void WithTags_SingleTag_ReturnsIt()
    {
        var (reference, tags) = ReferenceArguments.WithTags("reg.example/repo:only");

        Assert.Equal("only", reference.Tag);
        Assert.Equal(["only"], tags);
    }

    [Fact]
    public void WithTags_NoTag_ReturnsNoTags()
    {
        var (reference, tags) = ReferenceArguments.WithTags("reg.example/repo");

        Assert.Null(reference.Tag);
        Assert.Empty(tags);
    }

    [Fact]
    public void WithTags_RepeatedTag_AppearsOnce()
    {
        var (_, tags) = ReferenceArguments.WithTags("reg.example/repo:a,b,a,b,c");

        Assert.Equal(["a", "b", "c"], tags);
    }

    [Fact]
    public void WithTags_TagsAndDigest_KeepTheDigest()
    {
        var (reference, tags) = ReferenceArguments.WithTags($"reg.example/repo:t1,t2@{Digest}");

        Assert.Equal(Digest, reference.Digest?.ToString());
        Assert.Equal("t1", reference.Tag);
        Assert.Equal(["t1", "t2"], tags);
    }

    [Theory]
    [InlineData("reg.example/repo:t1,.bad", ".bad")]
    [InlineData("reg.example/repo:t1,-bad", "-bad")]
    [InlineData("reg.example/repo:t1,", "")]
    [InlineData("reg.example/repo:t1,,t3", "")]
    [InlineData("reg.example/repo:t1,a b", "a b")]
    [InlineData("reg.example/repo:t1,x:y", "x:y")]
    public void WithTags_InvalidExtraTag_NamesIt(string text, string tag)
    {
        var error = Assert.Throws<UsageException>(() => ReferenceArguments.WithTags(text));

        Assert.Equal($"invalid reference '{text}': extra tag '{tag}' is not a valid tag", error.Message);
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }

    [Fact]
    public void WithTags_InvalidFirstTag_NamesTheTag()
    {
        var error = Assert.Throws<UsageException>(() => ReferenceArguments.WithTags("reg.example/repo:.bad,t2"));

        Assert.Contains("tag '.bad'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithTags_CommaInRegistry_IsAnInvalidRegistry()
    {
        var error = Assert.Throws<UsageException>(() => ReferenceArguments.WithTags("reg,example/repo:t1"));

        Assert.Contains("registry 'reg,example'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Malformed_IsAUsageError()
    {
        var error = Assert.Throws<UsageException>(() => ReferenceArguments.Parse("reg.example/UPPER"));

        Assert.Contains("must be lower case", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }
}
