using System.Buffers.Text;
using System.Text;
using Coffer.Errors;
using Coffer.Signing.Keyless;
using Coffer.Testing.Sigstore.Servers;
using Coffer.Tests.Properties;

namespace Coffer.Tests.Signing.Keyless;

public sealed class IdentityTokenSourceTests : IDisposable
{
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task GetToken_PrefersTheFlagOverTheEnvironment()
    {
        var flag = Jwt("""{"iss":"https://issuer.test","sub":"flag","aud":"sigstore"}""");
        var environment = Jwt("""{"iss":"https://issuer.test","sub":"env","aud":"sigstore"}""");

        var token = await Source(flag, new() { ["SIGSTORE_ID_TOKEN"] = environment }).GetTokenAsync();

        Assert.Equal("flag", token.Subject);
    }

    [Fact]
    public async Task GetToken_ReadsTheFlagAsAFileWhenItNamesOne()
    {
        var path = Path.GetTempFileName();
        try
        {
            var jwt = Jwt("""{"iss":"https://i.test","sub":"s","email":"a@b.test","aud":["x","sigstore"]}""");
            await File.WriteAllTextAsync(path, jwt + "\n");

            var token = await Source(path, []).GetTokenAsync();

            Assert.Equal("a@b.test", token.ProofSubject);
            Assert.Equal(["x", "sigstore"], token.Audiences);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task GetToken_RefusesAnExpiredToken()
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();
        var expired = Jwt($$"""{"iss":"https://i.test","sub":"s","aud":"sigstore","exp":{{exp}}}""");

        var error = await Assert.ThrowsAsync<CofferException>(
            () => Source(null, new() { ["SIGSTORE_ID_TOKEN"] = expired }).GetTokenAsync());

        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(expired, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-jwt.at-all")]
    [InlineData("a.!!!.c")]
    public async Task GetToken_RefusesAMalformedTokenWithoutEchoingIt(string value)
    {
        var error = await Assert.ThrowsAsync<CofferException>(
            () => Source(null, new() { ["SIGSTORE_ID_TOKEN"] = value }).GetTokenAsync());

        Assert.Contains("SIGSTORE_ID_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetToken_WithOnlyOneGitHubVariable_NamesThePermission()
    {
        var error = await Assert.ThrowsAsync<CofferException>(() => Source(null, new()
        {
            ["ACTIONS_ID_TOKEN_REQUEST_URL"] = "http://127.0.0.1:9/token?api-version=2.0",
        }).GetTokenAsync());

        Assert.Contains("id-token: write", error.Hint, StringComparison.Ordinal);
        Assert.Contains("forks", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetToken_ActionsAnswerWithALoneSurrogateEscape_IsAnAnswerWithoutAToken()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        using var handler = new CorruptingHandler
        {
            Corrupt = answer => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(answer)
                .Replace("\"value\":\"", "\"value\":\"\\ud800", StringComparison.Ordinal)),
        };
        using var http = new HttpClient(handler);
        var source = new IdentityTokenSource(null, SigstoreStackFixture.Lookup(new Dictionary<string, string>
        {
            ["ACTIONS_ID_TOKEN_REQUEST_URL"] = issuer.ActionsRequestUrl,
            ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = issuer.ActionsRequestToken,
        }), http);

        var error = await Assert.ThrowsAsync<CofferException>(() => source.GetTokenAsync());

        Assert.Contains("without a token value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdentityToken_ToStringHidesTheToken()
    {
        var value = Jwt("""{"iss":"https://i.test","sub":"someone","aud":"sigstore"}""");

        var token = IdentityToken.Parse(value, "test");

        Assert.DoesNotContain(value, token.ToString(), StringComparison.Ordinal);
        Assert.Contains("someone", token.ToString(), StringComparison.Ordinal);
    }

    private static string Jwt(string payload) =>
        Base64Url.EncodeToString("""{"alg":"none"}"""u8) + "."
        + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)) + ".c2lnbmF0dXJl";

    private IdentityTokenSource Source(string? flag, Dictionary<string, string> environment) =>
        new(flag, SigstoreStackFixture.Lookup(environment), _http);
}
