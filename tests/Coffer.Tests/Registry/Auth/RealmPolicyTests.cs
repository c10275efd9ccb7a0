using Coffer.Errors;
using Coffer.Registry.Auth;

namespace Coffer.Tests.Registry.Auth;

public class RealmPolicyTests
{
    [Theory]
    [InlineData("https://auth.docker.io/token", "https://registry-1.docker.io")]
    [InlineData("https://ghcr.io/token", "https://ghcr.io")]
    [InlineData("https://login.example.com/oauth2/token", "https://reg.example.net")]
    [InlineData("http://auth.example/token", "http://reg.example")]
    [InlineData("https://auth.example/token", "http://reg.example")]
    [InlineData("https://8.8.4.4/token", "https://reg.example")]
    public void Validate_PublicRealm_IsAllowed(string realm, string registry)
    {
        var uri = RealmPolicy.Validate(realm, new Uri(registry));

        Assert.Equal(new Uri(realm), uri);
    }

    [Theory]
    [InlineData("http://auth.example/token", "https://reg.example")]
    [InlineData("http://reg.example/token", "https://reg.example")]
    [InlineData("http://localhost:5001/token", "https://localhost:5000")]
    public void Validate_HttpRealmForHttpsRegistry_IsRefused(string realm, string registry)
    {
        var error = Assert.Throws<CofferException>(() => RealmPolicy.Validate(realm, new Uri(registry)));

        Assert.Contains("plain HTTP", error.Message, StringComparison.Ordinal);
        Assert.Contains("refusing the token realm", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Hint);
    }

    [Theory]
    [InlineData("https://127.0.0.1/token", "loopback")]
    [InlineData("https://localhost:8080/token", "loopback")]
    [InlineData("https://[::1]/token", "loopback")]
    [InlineData("http://169.254.169.254/latest/meta-data", "link-local")]
    [InlineData("https://169.254.169.254/token", "link-local")]
    [InlineData("https://[fe80::1]/token", "link-local")]
    [InlineData("https://10.0.0.5/token", "private")]
    [InlineData("https://192.168.0.10/token", "private")]
    [InlineData("https://172.20.1.1/token", "private")]
    [InlineData("https://0.0.0.0/token", "unspecified")]
    public void Validate_InternalRealmForPublicRegistry_IsRefused(string realm, string kind)
    {
        var registry = new Uri(realm.StartsWith("http:", StringComparison.Ordinal)
            ? "http://reg.example"
            : "https://reg.example");

        var error = Assert.Throws<CofferException>(() => RealmPolicy.Validate(realm, registry));

        Assert.Contains($"on a {kind} address and the registry is not", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5001/token", "http://localhost:5000")]
    [InlineData("http://localhost:5001/token", "http://127.0.0.1:5000")]
    [InlineData("http://[::1]:5001/token", "http://127.0.0.1:5000")]
    [InlineData("https://10.0.0.9/token", "https://192.168.1.2")]
    [InlineData("https://192.168.1.2:8443/token", "https://192.168.1.2:5000")]
    [InlineData("https://169.254.1.1/token", "https://169.254.1.2")]
    public void Validate_RealmOfTheSameKindAsRegistry_IsAllowed(string realm, string registry)
    {
        var uri = RealmPolicy.Validate(realm, new Uri(registry));

        Assert.Equal(new Uri(realm), uri);
    }

    [Fact]
    public void Validate_RealmOnPrivateHostWhenRegistryIsLoopback_IsRefused()
    {
        Assert.Throws<CofferException>(() =>
            RealmPolicy.Validate("http://10.0.0.1/token", new Uri("http://localhost:5000")));
    }

    [Theory]
    [InlineData("ftp://auth.example/token")]
    [InlineData("file:///etc/passwd")]
    [InlineData("ws://auth.example/token")]
    [InlineData("javascript:alert(1)")]
    public void Validate_NonHttpScheme_IsRefused(string realm)
    {
        var error = Assert.Throws<CofferException>(() => RealmPolicy.Validate(realm, new Uri("https://reg.example")));

        Assert.Contains("is not http or https", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RealmWithUserInfo_IsRefused()
    {
        var error = Assert.Throws<CofferException>(() =>
            RealmPolicy.Validate("https://me:pw@auth.example/token", new Uri("https://reg.example")));

        Assert.Contains("user information", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a url")]
    [InlineData("token")]
    public void Validate_MissingOrRelativeRealm_SaysNoValidRealm(string? realm)
    {
        var error = Assert.Throws<CofferException>(() => RealmPolicy.Validate(realm, new Uri("https://reg.example")));

        Assert.Contains("without a valid realm", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://reg.example", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://2130706433/token")]
    [InlineData("https://0x7f.0.0.1/token")]
    [InlineData("https://0177.0.0.1/token")]
    [InlineData("https://127.1/token")]
    [InlineData("https://[::ffff:169.254.169.254]/token")]
    [InlineData("https://[::ffff:a9fe:a9fe]/token")]
    [InlineData("https://localhost./token")]
    [InlineData("https://127.0.0.1./token")]
    [InlineData("https://169.254.169.254./token")]
    [InlineData("https://LocalHost/token")]
    [InlineData("https://api.localhost./token")]
    public void Validate_DisguisedInternalRealm_IsRefused(string realm)
    {
        Assert.Throws<CofferException>(() => RealmPolicy.Validate(realm, new Uri("https://reg.example")));
    }
}
