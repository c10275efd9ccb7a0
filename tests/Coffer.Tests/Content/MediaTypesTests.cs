using Coffer.Content;

namespace Coffer.Tests.Content;

public class MediaTypesTests
{
    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData("application/vnd.oci.image.manifest.v1+json")]
    [InlineData("application/vnd.oci.empty.v1+json")]
    [InlineData("application/vnd.unknown.artifact.v1")]
    [InlineData("application/x-tar")]
    [InlineData("application/vnd.example_thing")]
    [InlineData("a/b")]
    [InlineData("1/2")]
    [InlineData("application/a!#$&-^_.+z")]
    [InlineData("Application/JSON")]
    public void IsValid_RestrictedNames_IsTrue(string mediaType)
    {
        Assert.True(MediaTypes.IsValid(mediaType));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text")]
    [InlineData("/plain")]
    [InlineData("text/")]
    [InlineData("/")]
    [InlineData("text/plain/extra")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("text /plain")]
    [InlineData("te:xt/plain")]
    [InlineData("application/vnd:thing")]
    [InlineData(".text/plain")]
    [InlineData("text/+json")]
    [InlineData("text/-x")]
    [InlineData("t\u00e9xt/plain")]
    [InlineData("text/pl*in")]
    [InlineData("text/pla=n")]
    public void IsValid_OutsideRfc6838_IsFalse(string? mediaType)
    {
        Assert.False(MediaTypes.IsValid(mediaType));
    }

    [Fact]
    public void IsValid_NamesOf127Characters_IsTrue()
    {
        var name = new string('a', 127);

        Assert.True(MediaTypes.IsValid($"{name}/{name}"));
    }

    [Fact]
    public void IsValid_SubtypeOf128Characters_IsFalse()
    {
        Assert.False(MediaTypes.IsValid("application/" + new string('a', 128)));
    }

    [Theory]
    [InlineData(MediaTypes.ImageManifest)]
    [InlineData(MediaTypes.ImageIndex)]
    [InlineData(MediaTypes.DockerManifest)]
    [InlineData(MediaTypes.DockerManifestList)]
    [InlineData(MediaTypes.Empty)]
    [InlineData(MediaTypes.LayerTar)]
    [InlineData(MediaTypes.LayerTarGzip)]
    [InlineData(MediaTypes.UnknownArtifact)]
    public void IsValid_KnownConstants_IsTrue(string mediaType)
    {
        Assert.True(MediaTypes.IsValid(mediaType));
    }
}
