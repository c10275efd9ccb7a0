using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Coffer.Testing;

namespace Coffer.Tests.Testing;

public sealed class RegistryServerTests
{
    [Fact]
    public async Task NoAuth_GetV2_Answers200()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(registry.BaseUri, "v2/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-Api-Version").Single());
        Assert.StartsWith("http://127.0.0.1:", registry.BaseUri.ToString(), StringComparison.Ordinal);
        Assert.True(Directory.Exists(registry.DataDirectory));
        Assert.True(registry.ProcessId > 0);
    }

    [Fact]
    public async Task Basic_GetV2_ChallengesAndAcceptsOnlyTheRightPassword()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Basic);
        using var client = new HttpClient();
        var v2 = new Uri(registry.BaseUri, "v2/");

        using var anonymous = await client.GetAsync(v2);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var challenge = Assert.Single(anonymous.Headers.WwwAuthenticate);
        Assert.Equal("Basic", challenge.Scheme);
        Assert.Contains("UNAUTHORIZED", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(client, v2, registry.Username, registry.Password));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetStatusAsync(client, v2, registry.Username, "wrong"));
    }

    [Fact]
    public async Task Basic_PasswordIsRandomPerServer()
    {
        await using var first = await RegistryServer.StartAsync(RegistryMode.Basic);
        await using var second = await RegistryServer.StartAsync(RegistryMode.Basic);

        Assert.NotEqual(first.Password, second.Password);
        Assert.NotEqual(first.Host, second.Host);
    }

    [Fact]
    public async Task ManyServers_StartInParallelOnDistinctPortsAndFolders()
    {
        var modes = new[] { RegistryMode.NoAuth, RegistryMode.Basic, RegistryMode.Tls, RegistryMode.Token };
        var starting = Enumerable.Range(0, 8).Select(i => RegistryServer.StartAsync(modes[i % modes.Length]));
        var servers = await Task.WhenAll(starting);
        try
        {
            Assert.Equal(servers.Length, servers.Select(s => s.Host).Distinct().Count());
            Assert.Equal(servers.Length, servers.Select(s => s.DataDirectory).Distinct().Count());
            foreach (var server in servers)
            {
                using var client = new HttpClient(server.CreateHttpHandler());
                using var response = await client.GetAsync(new Uri(server.BaseUri, "v2/"));
                var expected = server.Mode == RegistryMode.NoAuth ? HttpStatusCode.OK : HttpStatusCode.Unauthorized;
                Assert.Equal(expected, response.StatusCode);
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Tls_VerifiesWithTheGeneratedCaOnly()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Tls);
        using var authority = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(registry.CaCertificatePath!));
        var v2 = new Uri(registry.BaseUri, "v2/");
        Assert.Equal("https", registry.BaseUri.Scheme);

        using var trusting = new HttpClient(TrustingHandler(authority));
        Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(trusting, v2, registry.Username, registry.Password));

        using var anonymous = await trusting.GetAsync(v2);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", Assert.Single(anonymous.Headers.WwwAuthenticate).Scheme);

        using var untrusting = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(v2));
    }

    [Fact]
    public async Task Tls_WithClientCertificateRequired_RefusesClientsWithoutOne()
    {
        var options = new RegistryServerOptions { RequireClientCertificate = true };
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Tls, options);
        var v2 = new Uri(registry.BaseUri, "v2/");

        using var withCertificate = new HttpClient(registry.CreateHttpHandler());
        Assert.Equal(
            HttpStatusCode.OK, await GetStatusAsync(withCertificate, v2, registry.Username, registry.Password));

        using var withoutCertificate = new HttpClient(registry.Certificates!.CreateHttpHandler());
        await Assert.ThrowsAsync<HttpRequestException>(() => withoutCertificate.GetAsync(v2));
    }

    [Fact]
    public async Task Token_GetV2_ChallengesWithTheTokenServerRealm()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Token);
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(registry.BaseUri, "v2/"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains($"realm=\"{registry.TokenServer!.Realm}\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains($"service=\"{registry.TokenServer.Service}\"", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_PushBlobAndManifest_ThenReadThemBack()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Token);
        const string Repository = "test/art";
        using var client = new HttpClient();

        var token = await FetchTokenAsync(client, registry, $"repository:{Repository}:pull,push");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var layer = Encoding.UTF8.GetBytes("hello from coffer fixtures\n");
        var layerDigest = await OciFlow.PushBlobAsync(client, registry.BaseUri, Repository, layer);
        await OciFlow.PushBlobAsync(client, registry.BaseUri, Repository, OciFlow.EmptyConfig);
        var manifest = OciFlow.Manifest(layerDigest, layer.Length);
        var manifestDigest = await OciFlow.PushManifestAsync(client, registry.BaseUri, Repository, "v1", manifest);

        Assert.Equal(manifest, await OciFlow.GetManifestAsync(client, registry.BaseUri, Repository, "v1"));
        Assert.Equal(manifest, await OciFlow.GetManifestAsync(client, registry.BaseUri, Repository, manifestDigest));
        var blob = await client.GetByteArrayAsync(new Uri(registry.BaseUri, $"v2/{Repository}/blobs/{layerDigest}"));
        Assert.Equal(layer, blob);

        var issued = Assert.Single(registry.TokenServer!.IssuedTokens);
        Assert.Equal(token, issued);
        var request = Assert.Single(registry.TokenServer.Requests);
        Assert.True(request.UsedBasicAuth);
        Assert.Equal(registry.Username, request.Username);
    }

    [Fact]
    public async Task Token_TooLittleOrExpiredAccess_IsRefusedByTheRegistry()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Token);
        var tokens = registry.TokenServer!;
        using var client = new HttpClient();
        var tags = new Uri(registry.BaseUri, "v2/test/art/tags/list");

        var otherRepository = tokens.CreateToken("someone", ["repository:test/other:pull"]);
        using var insufficient = await SendBearerAsync(client, tags, otherRepository);
        Assert.Equal(HttpStatusCode.Unauthorized, insufficient.StatusCode);
        var challenge = insufficient.Headers.WwwAuthenticate.ToString();
        Assert.Contains("insufficient_scope", challenge, StringComparison.Ordinal);

        var expired = tokens.CreateToken("someone", ["repository:test/art:pull"], TimeSpan.FromMinutes(-5));
        using var invalid = await SendBearerAsync(client, tags, expired);
        Assert.Equal(HttpStatusCode.Unauthorized, invalid.StatusCode);
        Assert.Contains("invalid_token", invalid.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var good = tokens.CreateToken("someone", ["repository:test/art:pull"]);
        using var allowed = await SendBearerAsync(client, tags, good);
        Assert.Equal(HttpStatusCode.NotFound, allowed.StatusCode);
    }

    [Fact]
    public async Task Token_AnonymousTokenReadsPublicRepositoriesOnly()
    {
        var tokenOptions = new TokenServerOptions();
        tokenOptions.PublicRepositories.Add("open/art");
        var options = new RegistryServerOptions { TokenServer = tokenOptions };
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Token, options);
        using var client = new HttpClient();
        var setup = registry.TokenServer!.CreateToken("setup", ["repository:open/art:push,pull"]);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", setup);
        var digest = await OciFlow.PushBlobAsync(client, registry.BaseUri, "open/art", "public"u8.ToArray());
        client.DefaultRequestHeaders.Authorization = null;

        var open = await FetchAnonymousTokenAsync(client, registry, "repository:open/art:pull");
        var closed = await FetchAnonymousTokenAsync(client, registry, "repository:closed/art:pull");

        using var allowed = await SendBearerAsync(
            client, new Uri(registry.BaseUri, $"v2/open/art/blobs/{digest}"), open);
        using var denied = await SendBearerAsync(
            client, new Uri(registry.BaseUri, $"v2/closed/art/blobs/{digest}"), closed);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Empty(tokenOptions.Users);
    }

    [Fact]
    public async Task RequestLog_CountsTheClientsRequestsButNotTheProbes()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var client = new HttpClient();
        await registry.FlushRequestLogAsync();
        Assert.Empty(registry.RequestLog);

        await OciFlow.PushBlobAsync(client, registry.BaseUri, "log/test", "abc"u8.ToArray());
        using var missing = await client.GetAsync(new Uri(registry.BaseUri, "v2/log/test/tags/list?n=1"));

        var log = await registry.FlushRequestLogAsync();
        Assert.Equal(3, log.Count);
        Assert.Equal(("POST", 202), (log[0].Method, log[0].Status));
        Assert.Equal(("PUT", 201), (log[1].Method, log[1].Status));
        Assert.Contains("digest=sha256%3A", log[1].Path, StringComparison.Ordinal);
        Assert.Equal(new RegistryRequest("GET", "/v2/log/test/tags/list?n=1", 404, log[2].UserAgent), log[2]);

        registry.ClearRequestLog();
        Assert.Empty(registry.RequestLog);
    }

    [Fact]
    public async Task KillAndRestart_KeepPortAndStorage()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Basic);
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = OciFlow.Basic(registry.Username, registry.Password);
        var digest = await OciFlow.PushBlobAsync(client, registry.BaseUri, "keep/me", "persist"u8.ToArray());
        var host = registry.Host;
        var firstPid = registry.ProcessId;

        registry.Kill();
        Assert.False(registry.IsRunning);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(registry.BaseUri, "v2/")));

        await registry.RestartAsync();
        Assert.True(registry.IsRunning);
        Assert.Equal(host, registry.Host);
        Assert.NotEqual(firstPid, registry.ProcessId);
        var blob = new Uri(registry.BaseUri, $"v2/keep/me/blobs/{digest}");
        using var head = new HttpRequestMessage(HttpMethod.Head, blob);
        using var response = await client.SendAsync(head);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Start_WhenTheRegistryFails_ReportsItsStderr()
    {
        var options = new RegistryServerOptions();
        options.Environment["REGISTRY_HTTP_TLS_CERTIFICATE"] = "/nonexistent/coffer.crt";
        options.Environment["REGISTRY_HTTP_TLS_KEY"] = "/nonexistent/coffer.key";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => RegistryServer.StartAsync(RegistryMode.NoAuth, options));

        Assert.Contains("exited with code", error.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/coffer.crt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_SkopeoCanReadWhatWasPushed()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Token);
        var tokens = registry.TokenServer!;
        using var client = new HttpClient();
        var token = tokens.CreateToken("setup", ["repository:interop/art:pull,push"]);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var layer = "interop"u8.ToArray();
        var layerDigest = await OciFlow.PushBlobAsync(client, registry.BaseUri, "interop/art", layer);
        await OciFlow.PushBlobAsync(client, registry.BaseUri, "interop/art", OciFlow.EmptyConfig);
        var manifest = OciFlow.Manifest(layerDigest, layer.Length);
        await OciFlow.PushManifestAsync(client, registry.BaseUri, "interop/art", "v1", manifest);

        var raw = await RunSkopeoAsync(
            "inspect", "--raw", "--tls-verify=false", "--creds", $"{registry.Username}:{registry.Password}",
            $"docker://{registry.Host}/interop/art:v1");

        Assert.Equal(manifest, raw);
        var request = Assert.Single(tokens.Requests);
        Assert.True(request.UsedBasicAuth);
        Assert.Equal(["repository:interop/art:pull"], request.Scopes);
    }

    [Fact]
    public async Task Dispose_KillsTheProcessAndDeletesTheFolder()
    {
        var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        var pid = registry.ProcessId;
        var folder = registry.DataDirectory;

        await registry.DisposeAsync();

        Assert.False(Directory.Exists(folder));
        Assert.False(File.Exists($"/proc/{pid}/cmdline") && IsRegistry(pid));
    }

    private static bool IsRegistry(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("docker-registry", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<byte[]> RunSkopeoAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(ToolCheck.Require(ToolCheck.Skopeo))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await copy;

        Assert.True(process.ExitCode == 0, $"skopeo failed: {await error}");
        return output.ToArray();
    }

    private static HttpClientHandler TrustingHandler(X509Certificate2 authority) => new()
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            return chain.Build(certificate);
        },
    };

    private static async Task<HttpStatusCode> GetStatusAsync(HttpClient client, Uri uri, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = OciFlow.Basic(user, password);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> SendBearerAsync(HttpClient client, Uri uri, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    private static async Task<string> FetchAnonymousTokenAsync(
        HttpClient client,
        RegistryServer registry,
        string scope)
    {
        var tokens = registry.TokenServer!;
        var uri = new Uri($"{tokens.Realm}?service={tokens.Service}&scope={Uri.EscapeDataString(scope)}");
        using var json = JsonDocument.Parse(await client.GetStringAsync(uri));
        return json.RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<string> FetchTokenAsync(HttpClient client, RegistryServer registry, string scope)
    {
        var tokens = registry.TokenServer!;
        var uri = new Uri(
            $"{tokens.Realm}?service={Uri.EscapeDataString(tokens.Service)}&scope={Uri.EscapeDataString(scope)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = OciFlow.Basic(registry.Username, registry.Password);

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("token").GetString()!;
    }
}
