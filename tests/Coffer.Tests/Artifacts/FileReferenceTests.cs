using Coffer.Artifacts;
using Coffer.Errors;

namespace Coffer.Tests.Artifacts;

public class FileReferenceTests
{
    [Theory]
    [InlineData("state.json", "state.json", null)]
    [InlineData("dir/state.json", "dir/state.json", null)]
    [InlineData("state.json:application/json", "state.json", "application/json")]
    [InlineData("a:b:text/plain", "a:b", "text/plain")]
    [InlineData("a:b:c:application/vnd.example+json", "a:b:c", "application/vnd.example+json")]
    [InlineData("state.json:", "state.json", null)]
    [InlineData("a:b:", "a:b", null)]
    [InlineData("time:12", "time:12", null)]
    [InlineData("archive:v1.tar", "archive:v1.tar", null)]
    [InlineData(@"C:\x", @"C:\x", null)]
    [InlineData(@"C:\dir\file.txt", @"C:\dir\file.txt", null)]
    [InlineData("C:/dir/file.txt", "C:/dir/file.txt", null)]
    [InlineData(@"C:\x:text/plain", @"C:\x", "text/plain")]
    public void Parse_Argument_SplitsPathAndMediaType(string argument, string path, string? mediaType)
    {
        var file = FileReference.Parse(argument);

        Assert.Equal(path, file.Path);
        Assert.Equal(mediaType, file.MediaType);
    }

    [Theory]
    [InlineData("file:text/pl@in", "text/pl@in")]
    [InlineData("file:/etc", "/etc")]
    [InlineData("file:text/", "text/")]
    [InlineData("file:a b/c", "a b/c")]
    public void Parse_InvalidMediaType_NamesItAndSuggestsTrailingColon(string argument, string mediaType)
    {
        var error = Assert.Throws<UsageException>(() => FileReference.Parse(argument));

        Assert.Contains($"'{mediaType}' in file argument '{argument}' is not a valid media type", error.Message,
            StringComparison.Ordinal);
        Assert.Contains("end the argument with ':'", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }

    [Fact]
    public void Parse_InvalidMediaTypeWithTrailingColon_IsAPath()
    {
        var file = FileReference.Parse("file:text/pl@in:");

        Assert.Equal("file:text/pl@in", file.Path);
        Assert.Null(file.MediaType);
    }

    [Fact]
    public void Parse_MediaTypeWithoutPath_IsRefused()
    {
        var error = Assert.Throws<UsageException>(() => FileReference.Parse(":text/plain"));

        Assert.Contains("has a media type but no path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Empty_IsRefused()
    {
        var error = Assert.Throws<UsageException>(() => FileReference.Parse(""));

        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => FileReference.Parse(null!));
    }
}
