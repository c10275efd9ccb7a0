using System.Text;
using Coffer.Diagnostics;

namespace Coffer.Tests.Diagnostics;

public class RedactorTests
{
    [Theory]
    [InlineData("scope", "repository%3Aapp%3Apull")]
    [InlineData("service", "reg.example")]
    [InlineData("digest", "sha256%3Aabc")]
    [InlineData("n", "100")]
    [InlineData("last", "v1.2")]
    [InlineData("mount", "sha256%3Aabc")]
    [InlineData("from", "other%2Frepo")]
    [InlineData("SCOPE", "x")]
    public void Url_AllowlistedQueryKey_KeepsItsValue(string key, string value)
    {
        var url = new Uri($"https://reg.example/v2/app/blobs/uploads/?{key}={value}");

        var text = new Redactor().Url(url);

        Assert.Equal($"https://reg.example/v2/app/blobs/uploads/?{key}={value}", text);
    }

    [Theory]
    [InlineData("_state", "c2VjcmV0IHN0YXRl")]
    [InlineData("X-Amz-Signature", "deadbeefcafe")]
    [InlineData("X-Amz-Credential", "AKIA%2F20240101")]
    [InlineData("sig", "abc")]
    [InlineData("token", "t0k3n")]
    public void Url_OtherQueryKey_MasksItsValue(string key, string value)
    {
        var url = new Uri($"https://cdn.example/blob?{key}={value}");

        var text = new Redactor().Url(url);

        Assert.Equal($"https://cdn.example/blob?{key}={Redactor.Mask}", text);
        Assert.DoesNotContain(value, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_MixedQuery_KeepsOrderAndMasksOnlySecrets()
    {
        const string upload = "https://reg.example/v2/app/blobs/uploads/abc";
        var url = new Uri(upload + "?_state=opaque&digest=sha256%3A01&X-Amz-Signature=ff");

        var text = new Redactor().Url(url);

        Assert.Equal(upload + "?_state=***&digest=sha256%3A01&X-Amz-Signature=***", text);
    }

    [Fact]
    public void Url_UserInfo_IsStripped()
    {
        var url = new Uri("https://alice:hunter22@reg.example:8443/v2/?n=5");

        var text = new Redactor().Url(url);

        Assert.Equal("https://reg.example:8443/v2/?n=5", text);
        Assert.DoesNotContain("alice", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter22", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_KeyWithoutValue_IsKeptBare()
    {
        var text = new Redactor().Url(new Uri("https://reg.example/path?flag&n=1"));

        Assert.Equal("https://reg.example/path?flag&n=1", text);
    }

    [Fact]
    public void Url_Fragment_IsDropped()
    {
        var text = new Redactor().Url(new Uri("https://reg.example/path#access_token=abc"));

        Assert.Equal("https://reg.example/path", text);
    }

    [Fact]
    public void Url_Null_IsEmpty()
    {
        Assert.Equal("", new Redactor().Url(null));
    }

    [Fact]
    public void Url_RelativeUri_IsScrubbed()
    {
        var redactor = new Redactor();
        redactor.AddSecret("relative-secret");

        var text = redactor.Url(new Uri("/v2/app?x=relative-secret", UriKind.Relative));

        Assert.Equal("/v2/app?x=***", text);
    }

    [Fact]
    public void Url_RegisteredSecretInPath_IsMasked()
    {
        var redactor = new Redactor();
        redactor.AddSecret("pathsecret42");

        var text = redactor.Url(new Uri("https://reg.example/v2/pathsecret42/tags/list"));

        Assert.Equal("https://reg.example/v2/***/tags/list", text);
    }

    [Fact]
    public void Scrub_RegisteredSecret_IsMaskedEverywhere()
    {
        var redactor = new Redactor();
        redactor.AddSecret("s3cr3t-value");

        var text = redactor.Scrub("a s3cr3t-value b s3cr3t-value");

        Assert.Equal("a *** b ***", text);
    }

    [Fact]
    public void Scrub_UrlEscapedFormOfSecret_IsMasked()
    {
        var redactor = new Redactor();
        redactor.AddSecret("p@ss w/rd+");

        var text = redactor.Scrub("password=p%40ss%20w%2Frd%2B&x=1");

        Assert.Equal("password=***&x=1", text);
    }

    [Fact]
    public void Scrub_BasicSecret_MasksPasswordAndBase64Pair()
    {
        var redactor = new Redactor();
        redactor.AddBasicSecret("ci-user", "correct-horse");
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("ci-user:correct-horse"));

        var text = redactor.Scrub($"Authorization: Basic {encoded}; pw=correct-horse");

        Assert.Equal("Authorization: Basic ***; pw=***", text);
    }

    [Fact]
    public void Scrub_BasicSecretWithoutPassword_RegistersNothing()
    {
        var redactor = new Redactor();
        redactor.AddBasicSecret("only-user", null);
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("only-user:"));

        Assert.Equal($"only-user {encoded}", redactor.Scrub($"only-user {encoded}"));
    }

    [Fact]
    public void Scrub_OverlappingSecrets_MasksTheLongestFirst()
    {
        var redactor = new Redactor();
        redactor.AddSecret("abcd");
        redactor.AddSecret("abcdefgh");

        Assert.Equal("x *** y", redactor.Scrub("x abcdefgh y"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    public void AddSecret_EmptyOrShort_IsIgnored(string? secret)
    {
        var redactor = new Redactor();
        redactor.AddSecret(secret);

        Assert.Equal("abc def", redactor.Scrub("abc def"));
    }

    [Fact]
    public void Scrub_Null_IsEmpty()
    {
        Assert.Equal("", new Redactor().Scrub(null));
    }

    [Fact]
    public void Scrub_NoSecrets_ReturnsTextUnchanged()
    {
        Assert.Equal("nothing to hide", new Redactor().Scrub("nothing to hide"));
    }
}
