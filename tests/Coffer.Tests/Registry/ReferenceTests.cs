using Coffer.Registry;

namespace Coffer.Tests.Registry;

public class ReferenceTests
{
    private const string Sha256Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string Sha512Hex = Sha256Hex + Sha256Hex;

    [Theory]
    [InlineData("ghcr.io/owner/repo", "ghcr.io", "owner/repo")]
    [InlineData("localhost/files", "localhost", "files")]
    [InlineData("localhost:5000/files", "localhost:5000", "files")]
    [InlineData("127.0.0.1:5000/team/files", "127.0.0.1:5000", "team/files")]
    [InlineData("10.1.2.3/x", "10.1.2.3", "x")]
    [InlineData("registry.example.com:443/a/b/c/d", "registry.example.com:443", "a/b/c/d")]
    [InlineData("my-registry:65535/r", "my-registry:65535", "r")]
    [InlineData("Registry.Example/r", "Registry.Example", "r")]
    public void Parse_RegistryAndRepository_SplitsAtFirstSlash(string text, string registry, string repository)
    {
        var reference = Reference.Parse(text);

        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Null(reference.Tag);
        Assert.Null(reference.Digest);
        Assert.Null(reference.ManifestReference);
    }

    [Theory]
    [InlineData("docker.io/library/alpine", "registry-1.docker.io")]
    [InlineData("index.docker.io/library/alpine", "registry-1.docker.io")]
    [InlineData("registry-1.docker.io/library/alpine", "registry-1.docker.io")]
    [InlineData("ghcr.io/o/r", "ghcr.io")]
    [InlineData("localhost:5000/r", "localhost:5000")]
    [InlineData("docker.io:443/library/alpine", "docker.io:443")]
    public void Endpoint_DockerHubNames_MapToTheApiHost(string text, string endpoint)
    {
        var reference = Reference.Parse(text);

        Assert.Equal(endpoint, reference.Endpoint);
    }

    [Fact]
    public void Endpoint_DockerHub_KeepsRegistryAsWritten()
    {
        var reference = Reference.Parse("docker.io/library/alpine:3");

        Assert.Equal("docker.io", reference.Registry);
        Assert.Equal("docker.io/library/alpine:3", reference.ToString());
    }

    [Theory]
    [InlineData("a")]
    [InlineData("a0")]
    [InlineData("0a")]
    [InlineData("my.repo")]
    [InlineData("my_repo")]
    [InlineData("my__repo")]
    [InlineData("my-repo")]
    [InlineData("my--repo")]
    [InlineData("my---repo")]
    [InlineData("a.b_c__d-e--f")]
    [InlineData("owner/sub.group/my_repo/x-y")]
    public void Parse_RepositoryWithSeparators_IsAccepted(string repository)
    {
        var reference = Reference.Parse($"reg.example/{repository}");

        Assert.Equal(repository, reference.Repository);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("v1.2.3")]
    [InlineData("_underscore")]
    [InlineData("0")]
    [InlineData("UPPER-case_Mixed.1")]
    [InlineData("a-")]
    [InlineData("a.")]
    public void Parse_ValidTag_IsKept(string tag)
    {
        var reference = Reference.Parse($"reg.example/repo:{tag}");

        Assert.Equal(tag, reference.Tag);
        Assert.Equal(tag, reference.ManifestReference);
        Assert.Equal("repo", reference.Repository);
    }

    [Fact]
    public void Parse_TagOf128Characters_IsAccepted()
    {
        var tag = new string('t', 128);

        var reference = Reference.Parse($"reg.example/repo:{tag}");

        Assert.Equal(tag, reference.Tag);
    }

    [Fact]
    public void Parse_TagOf129Characters_NamesTheTag()
    {
        var tag = new string('t', 129);

        var error = Assert.Throws<FormatException>(() => Reference.Parse($"reg.example/repo:{tag}"));

        Assert.Contains("tag '", error.Message, StringComparison.Ordinal);
        Assert.Contains("128", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".dot")]
    [InlineData("-dash")]
    [InlineData("a+b")]
    [InlineData("a b")]
    [InlineData("tag/with/slash")]
    [InlineData("caf\u00e9")]
    public void IsValidTag_OutsideGrammar_IsFalse(string tag)
    {
        Assert.False(Reference.IsValidTag(tag));
    }

    [Fact]
    public void IsValidTag_Null_IsFalse()
    {
        Assert.False(Reference.IsValidTag(null));
    }

    [Theory]
    [InlineData("sha256:" + Sha256Hex, "sha256")]
    [InlineData("sha512:" + Sha512Hex, "sha512")]
    public void Parse_Digest_IsTheManifestReference(string digest, string algorithm)
    {
        var reference = Reference.Parse($"localhost:5000/repo@{digest}");

        Assert.Null(reference.Tag);
        Assert.Equal(algorithm, reference.Digest?.Algorithm);
        Assert.Equal(digest, reference.ManifestReference);
        Assert.Equal("localhost:5000", reference.Registry);
        Assert.Equal("repo", reference.Repository);
    }

    [Fact]
    public void Parse_TagAndDigest_DigestWinsInManifestReference()
    {
        var reference = Reference.Parse($"localhost:5000/a/b:v1@sha256:{Sha256Hex}");

        Assert.Equal("v1", reference.Tag);
        Assert.Equal("a/b", reference.Repository);
        Assert.Equal($"sha256:{Sha256Hex}", reference.ManifestReference);
        Assert.Equal($"localhost:5000/a/b:v1@sha256:{Sha256Hex}", reference.ToString());
    }

    [Theory]
    [InlineData("ghcr.io/o/r")]
    [InlineData("ghcr.io/o/r:v1")]
    [InlineData("localhost:5000/r@sha256:" + Sha256Hex)]
    [InlineData("localhost:5000/r:t@sha256:" + Sha256Hex)]
    public void ToString_ParsedReference_RoundTrips(string text)
    {
        Assert.Equal(text, Reference.Parse(text).ToString());
    }

    [Fact]
    public void WithTag_ReplacesTagAndDropsDigest()
    {
        var reference = Reference.Parse($"reg.example/repo:old@sha256:{Sha256Hex}");

        var retagged = reference.WithTag("new");

        Assert.Equal("new", retagged.Tag);
        Assert.Null(retagged.Digest);
        Assert.Equal("new", retagged.ManifestReference);
    }

    [Fact]
    public void WithTag_InvalidTag_Throws()
    {
        var reference = Reference.Parse("reg.example/repo");

        Assert.Throws<FormatException>(() => reference.WithTag(".bad"));
    }

    [Fact]
    public void WithDigest_DropsTag()
    {
        var reference = Reference.Parse("reg.example/repo:v1");
        var digest = Coffer.Content.Digest.Parse($"sha256:{Sha256Hex}");

        var pinned = reference.WithDigest(digest);

        Assert.Null(pinned.Tag);
        Assert.Equal(digest, pinned.Digest);
        Assert.Equal($"reg.example/repo@sha256:{Sha256Hex}", pinned.ToString());
    }

    [Theory]
    [InlineData("reg_istry/repo")]
    [InlineData("-reg.example/repo")]
    [InlineData("reg-.example/repo")]
    [InlineData("reg..example/repo")]
    [InlineData("reg.example:/repo")]
    [InlineData("reg.example:99999/repo")]
    [InlineData("reg.example:123456/repo")]
    [InlineData("reg.example:80a/repo")]
    [InlineData("reg example/repo")]
    [InlineData(":5000/repo")]
    public void Parse_MalformedRegistry_NamesTheRegistry(string text)
    {
        var error = Assert.Throws<FormatException>(() => Reference.Parse(text));

        Assert.Contains("registry '", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reg.example/repo_")]
    [InlineData("reg.example/_repo")]
    [InlineData("reg.example/a___b")]
    [InlineData("reg.example/a..b")]
    [InlineData("reg.example/a._b")]
    [InlineData("reg.example/a-")]
    [InlineData("reg.example/a//b")]
    [InlineData("reg.example/a/")]
    [InlineData("reg.example/a+b")]
    [InlineData("reg.example/")]
    public void Parse_MalformedRepository_NamesTheRepository(string text)
    {
        var error = Assert.Throws<FormatException>(() => Reference.Parse(text));

        Assert.Contains("repository '", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reg.example/Repo")]
    [InlineData("reg.example/owner/MyRepo:v1")]
    [InlineData("reg.example/ABC")]
    public void Parse_UpperCaseRepository_SaysMustBeLowerCase(string text)
    {
        var error = Assert.Throws<FormatException>(() => Reference.Parse(text));

        Assert.Contains("repository '", error.Message, StringComparison.Ordinal);
        Assert.Contains("must be lower case", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RepositoryLongerThan255_NamesTheRepository()
    {
        var repository = string.Join('/', Enumerable.Repeat(new string('a', 50), 6));

        var error = Assert.Throws<FormatException>(() => Reference.Parse($"reg.example/{repository}"));

        Assert.Contains("repository '", error.Message, StringComparison.Ordinal);
        Assert.Contains("255", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reg.example/repo:")]
    [InlineData("reg.example/repo:.hidden")]
    [InlineData("reg.example/repo:-x")]
    [InlineData("reg.example/repo:a+b")]
    public void Parse_MalformedTag_NamesTheTag(string text)
    {
        var error = Assert.Throws<FormatException>(() => Reference.Parse(text));

        Assert.Contains("tag '", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reg.example/repo@")]
    [InlineData("reg.example/repo@sha256")]
    [InlineData("reg.example/repo@sha256:abc")]
    [InlineData("reg.example/repo@md5:0123456789abcdef0123456789abcdef")]
    [InlineData("reg.example/repo@sha256:" + Sha512Hex)]
    [InlineData("reg.example/repo:v1@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Parse_MalformedDigest_NamesTheDigest(string text)
    {
        var error = Assert.Throws<FormatException>(() => Reference.Parse(text));

        Assert.Contains("digest", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("repository '", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("repo")]
    [InlineData("repo:tag")]
    [InlineData("/repo")]
    public void Parse_NoRegistry_AsksForRegistryAndRepository(string text)
    {
        var error = Assert.Throws<FormatException>(() => Reference.Parse(text));

        Assert.Contains("missing registry or repository", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void TryParse_Empty_ReportsEmpty(string? text)
    {
        var ok = Reference.TryParse(text, out var reference, out var error);

        Assert.False(ok);
        Assert.Null(reference);
        Assert.Contains("empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Valid_HasNoError()
    {
        var ok = Reference.TryParse("ghcr.io/o/r:v1", out var reference, out var error);

        Assert.True(ok);
        Assert.NotNull(reference);
        Assert.Null(error);
    }

    [Fact]
    public void Parse_Error_QuotesTheWholeInput()
    {
        var error = Assert.Throws<FormatException>(() => Reference.Parse("reg.example/Bad:v1"));

        Assert.Contains("'reg.example/Bad:v1'", error.Message, StringComparison.Ordinal);
    }
}
