using System.Text.Json.Nodes;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

/// <summary>The Docker token flows that ghcr.io, Docker Hub and Harbor use, against the real registry.</summary>
public sealed class TokenAuthTests
{
    [Fact]
    public async Task Push_WithPassword_AsksForPullAndPushInOneTokenRequest()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Token);
        using var runner = new CofferRunner();

        // Not "{}", which is the empty config's digest: the file would then be found, or not, by
        // the time its mount query goes out, and the count would depend on timing.
        runner.WriteFile("state.json", "{\"serial\":1}"u8.ToArray());
        await registry.FlushRequestLogAsync();
        registry.ClearRequestLog();

        var push = await runner.PipeAsync(registry.Password,
            "push", "--plain-http", "-u", registry.Username, "--password-stdin",
            $"{registry.Host}/tok/state:v1", "state.json");

        Assert.True(push.ExitCode == 0, push.ToString());
        var token = Assert.Single(registry.TokenServer!.Requests);
        Assert.Equal("GET", token.Method);
        Assert.True(token.UsedBasicAuth);
        Assert.Contains("repository:tok/state:pull,push", token.Scopes);

        // One 401 to learn the realm, then the five requests of a fresh push.
        var log = await registry.FlushRequestLogAsync();
        Assert.Equal(6, log.Count);
        Assert.Single(log, r => r.Status == 401);
    }

    [Fact]
    public async Task PushAndPull_IdentityToken_UsesTheOAuth2RefreshGrant()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Token);
        registry.TokenServer!.AddIdentityToken("refresh-token-for-ci-0001", registry.Username);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());

        var push = await runner.PipeAsync("refresh-token-for-ci-0001\n",
            "push", "--plain-http", "--identity-token-stdin", $"{registry.Host}/idt/art:v1", "a.txt");
        var pull = await runner.PipeAsync("refresh-token-for-ci-0001\n",
            "pull", "--plain-http", "--identity-token-stdin", $"{registry.Host}/idt/art:v1", "-o", "out");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.All(registry.TokenServer.Requests, r =>
        {
            Assert.Equal("POST", r.Method);
            Assert.Equal("refresh_token", r.GrantType);
        });
    }

    [Fact]
    public async Task Push_IdentityTokenWhereThePostIsRefused_FallsBackToBasicWithAPlaceholderUser()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Token,
            new RegistryServerOptions { TokenServer = new TokenServerOptions { RefusePost = true } });
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());

        // Like ghcr.io: the token is a password for any username.
        registry.TokenServer!.AddUser("coffer", new TokenUser(registry.Password));
        var push = await runner.PipeAsync(registry.Password + "\n",
            "push", "--plain-http", "--identity-token-stdin", "--debug", $"{registry.Host}/ghcr/art:v1", "a.txt");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains(registry.TokenServer.Requests, r => r.Method == "POST" && r.Status == 405);
        Assert.Contains(registry.TokenServer.Requests, r => r.Method == "GET" && r.UsedBasicAuth && r.Status == 200);
        Assert.Contains("refused the OAuth2 refresh_token POST", push.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(registry.Password, push.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_ThenPushAndPull_UseTheStoredCredential_AndLogoutRemovesIt()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Token);
        using var runner = new CofferRunner();
        File.WriteAllText(runner.ConfigFile, """{"auths":{},"proxies":{"default":{"httpProxy":""}},"custom":42}""");
        runner.WriteFile("a.txt", "a"u8.ToArray());

        var login = await runner.PipeAsync(registry.Password + "\n",
            "login", "--plain-http", "-u", registry.Username, "--password-stdin", registry.Host);
        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/stored/art:v1", "a.txt");
        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/stored/art:v1", "-o", "out");
        var stored = JsonNode.Parse(File.ReadAllText(runner.ConfigFile))!;
        var logout = await runner.RunAsync("logout", registry.Host);
        var after = JsonNode.Parse(File.ReadAllText(runner.ConfigFile))!;

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Login Succeeded", login.Stdout, StringComparison.Ordinal);
        Assert.Contains(runner.ConfigFile, login.Output, StringComparison.Ordinal);
        Assert.Contains("unencrypted", login.Stderr, StringComparison.Ordinal);
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.NotNull(stored["auths"]![registry.Host]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(runner.ConfigFile));
        Assert.Equal(0, logout.ExitCode);
        Assert.Null(after["auths"]![registry.Host]);
        Assert.Equal(42, after["custom"]!.GetValue<int>());
        Assert.NotNull(after["proxies"]);
    }

    [Fact]
    public async Task Login_WrongPassword_IsRefusedAndNothingIsStored()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Token);
        using var runner = new CofferRunner();

        var login = await runner.PipeAsync("not-the-password\n",
            "login", "--plain-http", "-u", registry.Username, "--password-stdin", registry.Host);

        Assert.Equal(1, login.ExitCode);
        Assert.Contains("refused", login.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(runner.ConfigFile));
    }

    [Fact]
    public async Task Login_InCiWithoutAHelper_RefusesPlainTextAndShowsThePerCommandForm()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Token);
        using var runner = new CofferRunner();
        runner.Environment["GITHUB_ACTIONS"] = "true";

        var login = await runner.PipeAsync(registry.Password + "\n",
            "login", "--plain-http", "-u", registry.Username, "--password-stdin", registry.Host);
        var allowed = await runner.PipeAsync(registry.Password + "\n",
            "login", "--plain-http", "-u", registry.Username, "--password-stdin", "--allow-plaintext", registry.Host);

        Assert.Equal(1, login.ExitCode);
        Assert.Contains("plain text", login.Stderr, StringComparison.Ordinal);
        Assert.Contains("--password-stdin", login.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, allowed.ExitCode);
        Assert.True(File.Exists(runner.ConfigFile));
    }

    [Fact]
    public async Task Login_HttpsPrefix_IsAcceptedAndStoredUnderTheBareHost()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Token);
        using var runner = new CofferRunner();

        var login = await runner.PipeAsync(registry.Password + "\n",
            "login", "--plain-http", "-u", registry.Username, "--password-stdin", $"https://{registry.Host}/");

        Assert.True(login.ExitCode == 0, login.ToString());
        var stored = JsonNode.Parse(File.ReadAllText(runner.ConfigFile))!;
        Assert.NotNull(stored["auths"]![registry.Host]);
    }

    [Fact]
    public async Task Pull_StaleStoredCredentialOnAPublicRepository_RetriesAnonymouslyAndNamesTheConfigFile()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Token);
        registry.TokenServer!.AddPublicRepository("public/art");
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "public"u8.ToArray());
        var push = await runner.PipeAsync(registry.Password,
            "push", "--plain-http", "-u", registry.Username, "--password-stdin",
            $"{registry.Host}/public/art:v1", "a.txt");
        var stale = Convert.ToBase64String("coffer:revoked-password"u8.ToArray());
        File.WriteAllText(runner.ConfigFile,
            "{\"auths\":{\"" + registry.Host + "\":{\"auth\":\"" + stale + "\"}}}");

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/public/art:v1", "-o", "out");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains("was refused", pull.Stderr, StringComparison.Ordinal);
        Assert.Contains(runner.ConfigFile, pull.Stderr, StringComparison.Ordinal);
        Assert.Equal("public", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out", "a.txt")));
    }

    [Fact]
    public async Task Push_TokenEndpointAnswersHtml_SaysSoInsteadOfAJsonError()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Token,
            new RegistryServerOptions { TokenServer = new TokenServerOptions { RespondWithHtml = true } });
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());

        var push = await runner.PipeAsync(registry.Password,
            "push", "--plain-http", "-u", registry.Username, "--password-stdin",
            $"{registry.Host}/html/art:v1", "a.txt");

        Assert.Equal(1, push.ExitCode);
        Assert.Contains("text/html", push.Stderr, StringComparison.Ordinal);
        Assert.Contains("robot account", push.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_MissingCredentialHelper_NamesTheHelperAndTheConfigFile()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Token);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        File.WriteAllText(runner.ConfigFile, """{"credsStore":"desktop"}""");

        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/helper/art:v1", "a.txt");
        var login = await runner.PipeAsync(registry.Password + "\n",
            "login", "--plain-http", "-u", registry.Username, "--password-stdin", registry.Host);

        Assert.Equal(1, push.ExitCode);
        Assert.Contains("docker-credential-desktop", push.Stderr, StringComparison.Ordinal);
        Assert.Contains(runner.ConfigFile, push.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, login.ExitCode);
        Assert.Contains("docker-credential-desktop", login.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("auths", File.ReadAllText(runner.ConfigFile), StringComparison.Ordinal);
    }
}
