using System.Net;
using System.Text.Json;
using Coffer.Testing;

namespace Coffer.Tests.Testing;

public sealed class TokenServerTests : IAsyncLifetime
{
    private const string User = "alice";
    private const string Password = "secret-pass";
    private const string IdentityToken = "identity-token-1";
    private static readonly HttpClient Client = new();
    private TokenServer _server = null!;

    public async Task InitializeAsync()
    {
        var options = new TokenServerOptions();
        options.Users[User] = new TokenUser(Password);
        options.Users["reader"] = new TokenUser("r") { Permissions = _ => ["pull"] };
        options.IdentityTokens[IdentityToken] = User;
        options.PublicRepositories.Add("public/art");
        _server = await TokenServer.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Get_WithBasicAuth_IssuesRs256TokenThatDistributionAccepts()
    {
        using var response = await GetAsync("repository:test/art:pull,push", User, Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        var token = root.GetProperty("token").GetString()!;
        Assert.Equal(token, root.GetProperty("access_token").GetString());
        Assert.Equal(300, root.GetProperty("expires_in").GetInt32());
        Assert.True(root.TryGetProperty("issued_at", out _));

        var header = OciFlow.JwtHeader(token);
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.Equal(1, header.GetProperty("x5c").GetArrayLength());

        var claims = OciFlow.JwtPayload(token);
        Assert.Equal(_server.Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal(JsonValueKind.String, claims.GetProperty("aud").ValueKind);
        Assert.Equal(_server.Service, claims.GetProperty("aud").GetString());
        Assert.Equal(User, claims.GetProperty("sub").GetString());
        Assert.True(claims.GetProperty("exp").TryGetInt64(out _));
        var access = Assert.Single(claims.GetProperty("access").EnumerateArray());
        Assert.Equal("test/art", access.GetProperty("name").GetString());
        Assert.Equal(["pull", "push"], access.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));

        Assert.Equal(token, Assert.Single(_server.IssuedTokens));
        Assert.True(File.Exists(_server.SigningCertificatePath));
    }

    [Fact]
    public async Task Get_WrongPassword_Answers401Json()
    {
        using var response = await GetAsync("repository:test/art:pull", User, "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("UNAUTHORIZED", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_server.IssuedTokens);
        var request = Assert.Single(_server.Requests);
        Assert.True(request.UsedBasicAuth);
        Assert.Null(request.Username);
        Assert.Equal(401, request.Status);
    }

    [Theory]
    [InlineData("public/art", "pull")]
    [InlineData("private/art", "")]
    public async Task Get_Anonymous_GrantsOnlyPullOnPublicRepositories(string repository, string expected)
    {
        using var response = await GetAsync($"repository:{repository}:pull,push", null, null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var actions = await GrantedActionsAsync(response);
        Assert.Equal(expected, string.Join(',', actions));
        Assert.False(Assert.Single(_server.Requests).UsedBasicAuth);
    }

    [Fact]
    public async Task Get_UserWithLimitedPermissions_GetsTheIntersection()
    {
        using var response = await GetAsync("repository:test/art:pull,push", "reader", "r");

        Assert.Equal(["pull"], await GrantedActionsAsync(response));
    }

    [Fact]
    public async Task Get_RepeatedScopes_AreAllRecordedAndGranted()
    {
        var uri = new Uri(_server.Realm + "?service=" + _server.Service
            + "&scope=repository:a/b:pull&scope=repository:c/d:push");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = OciFlow.Basic(User, Password);
        using var response = await Client.SendAsync(request);

        var claims = OciFlow.JwtPayload(await ReadTokenAsync(response, "token"));
        Assert.Equal(2, claims.GetProperty("access").GetArrayLength());
        Assert.Equal(["repository:a/b:pull", "repository:c/d:push"], Assert.Single(_server.Requests).Scopes);
    }

    [Fact]
    public async Task Post_RefreshToken_ReturnsAccessAndRefreshToken()
    {
        using var response = await PostAsync(new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = IdentityToken,
            ["service"] = _server.Service,
            ["scope"] = "repository:test/art:pull",
            ["client_id"] = "coffer",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(IdentityToken, json.RootElement.GetProperty("refresh_token").GetString());
        var claims = OciFlow.JwtPayload(json.RootElement.GetProperty("access_token").GetString()!);
        Assert.Equal(User, claims.GetProperty("sub").GetString());

        var request = Assert.Single(_server.Requests);
        Assert.True(request.UsedRefreshToken);
        Assert.Equal("coffer", request.ClientId);
        Assert.Equal(User, request.Username);
    }

    [Fact]
    public async Task Post_PasswordGrant_ReturnsANewRefreshTokenThatWorks()
    {
        using var first = await PostAsync(new()
        {
            ["grant_type"] = "password",
            ["username"] = User,
            ["password"] = Password,
            ["service"] = _server.Service,
            ["client_id"] = "coffer",
        });
        var refresh = await ReadTokenAsync(first, "refresh_token");

        using var second = await PostAsync(new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refresh,
            ["client_id"] = "coffer",
        });

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task Post_UnknownRefreshTokenOrMissingClientId_IsRefused()
    {
        using var unknown = await PostAsync(new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = "nope",
            ["client_id"] = "coffer",
        });
        using var noClient = await PostAsync(new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = IdentityToken,
        });

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noClient.StatusCode);
    }

    [Fact]
    public async Task RefusePost_Answers405()
    {
        _server.Options.RefusePost = true;

        using var response = await PostAsync(new() { ["grant_type"] = "refresh_token" });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        using var get = await GetAsync("repository:test/art:pull", User, Password);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task RespondWithHtml_AnswersALoginPage()
    {
        _server.Options.RespondWithHtml = true;

        using var response = await GetAsync("repository:test/art:pull", User, Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Empty(_server.IssuedTokens);
    }

    [Fact]
    public async Task TokenLifetime_SetsExpiresInAndExp()
    {
        _server.Options.TokenLifetime = TimeSpan.FromSeconds(42);

        using var response = await GetAsync("repository:test/art:pull", User, Password);

        var token = await ReadTokenAsync(response, "token");
        var claims = OciFlow.JwtPayload(token);
        Assert.Equal(42, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
    }

    private static async Task<string> ReadTokenAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty(field).GetString()!;
    }

    private static async Task<string[]> GrantedActionsAsync(HttpResponseMessage response)
    {
        var claims = OciFlow.JwtPayload(await ReadTokenAsync(response, "token"));
        var access = Assert.Single(claims.GetProperty("access").EnumerateArray());
        return access.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!).ToArray();
    }

    private async Task<HttpResponseMessage> GetAsync(string scope, string? user, string? password)
    {
        var uri = new Uri($"{_server.Realm}?service={_server.Service}&scope={Uri.EscapeDataString(scope)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (user is not null)
        {
            request.Headers.Authorization = OciFlow.Basic(user, password!);
        }

        return await Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostAsync(Dictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        return await Client.PostAsync(_server.Realm, content);
    }
}
