using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Coffer.Testing.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Coffer.Testing;

/// <summary>
/// An in-process Docker token server (Kestrel on 127.0.0.1) for registries in token mode.
/// <list type="number">
/// <item>Step 1: <c>GET /token?service=&amp;scope=&amp;account=</c>, with Basic auth or anonymous.</item>
/// <item>Step 2: <c>POST /token</c> with <c>grant_type=refresh_token</c> or <c>password</c>.</item>
/// <item>Step 3: the answer is an RS256 JWT whose <c>access</c> claim is the requested scopes
/// cut down to what the user may do.</item>
/// </list>
/// Every request and every issued token is recorded for assertions.
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TokenSigner _signer;
    private readonly string? _ownedDirectory;
    private readonly ConcurrentDictionary<string, TokenUser> _users;
    private readonly ConcurrentDictionary<string, string> _identityTokens;
    private readonly ConcurrentDictionary<string, bool> _publicRepositories;
    private readonly ConcurrentQueue<string> _issuedTokens = new();
    private readonly ConcurrentQueue<TokenRequest> _requests = new();

    private TokenServer(
        TokenServerOptions options,
        TokenSigner signer,
        string signingCertificatePath,
        string? ownedDirectory,
        WebApplication app,
        Uri baseUri)
    {
        Options = options;
        _signer = signer;
        SigningCertificatePath = signingCertificatePath;
        _ownedDirectory = ownedDirectory;
        _app = app;
        BaseUri = baseUri;
        Realm = new Uri(baseUri, "token");
        _users = new(options.Users, StringComparer.Ordinal);
        _identityTokens = new(options.IdentityTokens, StringComparer.Ordinal);
        _publicRepositories = new(options.PublicRepositories.Select(r => KeyValuePair.Create(r, true)));
    }

    /// <summary>The settings; the flags (<see cref="TokenServerOptions.RefusePost"/> and others) may be
    /// changed between requests.</summary>
    public TokenServerOptions Options { get; }

    /// <summary>The server root, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>The token endpoint, <c>http://127.0.0.1:PORT/token</c>; the registry's realm.</summary>
    public Uri Realm { get; }

    /// <summary>The service name (JWT <c>aud</c>).</summary>
    public string Service => Options.Service;

    /// <summary>The issuer (JWT <c>iss</c>).</summary>
    public string Issuer => Options.Issuer;

    /// <summary>PEM file of the self-signed signing certificate, for the registry's rootcertbundle.</summary>
    public string SigningCertificatePath { get; }

    /// <summary>The signing certificate (public part is what tokens carry in <c>x5c</c>).</summary>
    public X509Certificate2 SigningCertificate => _signer.Certificate;

    /// <summary>Every token string issued over HTTP, oldest first.</summary>
    public IReadOnlyList<string> IssuedTokens => _issuedTokens.ToArray();

    /// <summary>Every request received, oldest first.</summary>
    public IReadOnlyList<TokenRequest> Requests => _requests.ToArray();

    /// <summary>Starts the server on a free 127.0.0.1 port.</summary>
    public static async Task<TokenServer> StartAsync(
        TokenServerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new TokenServerOptions();

        var ownedDirectory = options.SigningCertificateDirectory is null
            ? Directory.CreateTempSubdirectory("coffer-token-").FullName
            : null;
        var directory = options.SigningCertificateDirectory ?? ownedDirectory!;
        Directory.CreateDirectory(directory);

        var signer = new TokenSigner();
        var certificatePath = Path.Combine(directory, "token-signing.crt");
        await File.WriteAllTextAsync(
            certificatePath, signer.Certificate.ExportCertificatePem() + "\n", cancellationToken);

        TokenServer? server = null;
        var (app, baseUri) = await LoopbackWebHost.StartAsync(
            context => server!.HandleAsync(context), cancellationToken);
        server = new TokenServer(options, signer, certificatePath, ownedDirectory, app, baseUri);
        return server;
    }

    /// <summary>Adds or replaces an account while the server runs.</summary>
    public void AddUser(string username, TokenUser user) => _users[username] = user;

    /// <summary>Adds an identity (refresh) token for <paramref name="username"/> while the server runs.</summary>
    public void AddIdentityToken(string identityToken, string username) =>
        _identityTokens[identityToken] = username;

    /// <summary>Lets anonymous clients pull <paramref name="repository"/>.</summary>
    public void AddPublicRepository(string repository) => _publicRepositories[repository] = true;

    /// <summary>
    /// Signs a token for exactly <paramref name="scopes"/>, with no permission check and no record.
    /// Useful to hand a client a token with too little access, or an expired one.
    /// </summary>
    public string CreateToken(string subject, IEnumerable<string> scopes, TimeSpan? lifetime = null)
    {
        var access = scopes.Select(TokenScope.TryParse).OfType<TokenScope>().ToList();
        return _signer.Sign(Issuer, Service, subject, lifetime ?? Options.TokenLifetime, access);
    }

    /// <summary>Forgets recorded requests and issued tokens.</summary>
    public void ClearRecords()
    {
        _requests.Clear();
        _issuedTokens.Clear();
    }

    /// <summary>Stops the server and deletes its temporary folder (if it made one).</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _signer.Dispose();

        if (_ownedDirectory is not null)
        {
            TryDeleteDirectory(_ownedDirectory);
        }
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static bool TryReadBasic(HttpRequest request, out string username, out string password)
    {
        username = string.Empty;
        password = string.Empty;

        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return false;
            }

            username = decoded[..colon];
            password = decoded[(colon + 1)..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(stream.ToArray());
    }

    private static Task WriteDistributionErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteJsonAsync(context, status, writer =>
        {
            writer.WriteStartArray("errors");
            writer.WriteStartObject();
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndArray();
        });

    private static Task WriteOAuthErrorAsync(HttpContext context, int status, string error, string description) =>
        WriteJsonAsync(context, status, writer =>
        {
            writer.WriteString("error", error);
            writer.WriteString("error_description", description);
        });

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var record = new TokenRequest
        {
            Method = request.Method,
            Query = request.QueryString.Value ?? string.Empty,
            Scopes = TokenScope.Split(request.Query["scope"]),
            Service = NullIfEmpty(request.Query["service"]),
            Account = NullIfEmpty(request.Query["account"]),
            ClientId = NullIfEmpty(request.Query["client_id"]),
            UsedBasicAuth = request.Headers.Authorization.ToString()
                .StartsWith("Basic ", StringComparison.OrdinalIgnoreCase),
        };

        try
        {
            record = await DispatchAsync(context, record);
        }
        finally
        {
            _requests.Enqueue(record with { Status = context.Response.StatusCode });
        }
    }

    private async Task<TokenRequest> DispatchAsync(HttpContext context, TokenRequest record)
    {
        if (Options.RespondWithHtml)
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(
                "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>"
                + "<body><form action=\"/c/oidc/login\">Sign in with your identity provider</form></body></html>\n");
            return record;
        }

        if (!string.Equals(context.Request.Path.Value, "/token", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return record;
        }

        if (HttpMethods.IsGet(context.Request.Method))
        {
            return await HandleGetAsync(context, record);
        }

        if (HttpMethods.IsPost(context.Request.Method))
        {
            if (Options.RefusePost)
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                context.Response.Headers.Allow = "GET";
                await context.Response.WriteAsync("405 Method Not Allowed\n");
                return record;
            }

            return await HandlePostAsync(context, record);
        }

        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = "GET, POST";
        return record;
    }

    private async Task<TokenRequest> HandleGetAsync(HttpContext context, TokenRequest record)
    {
        if (record.Service is not null && record.Service != Service)
        {
            await WriteDistributionErrorAsync(context, 400, "DENIED", $"unknown service '{record.Service}'");
            return record;
        }

        string? username = null;
        TokenUser? user = null;
        if (!StringValues.IsNullOrEmpty(context.Request.Headers.Authorization))
        {
            if (!TryReadBasic(context.Request, out var name, out var password)
                || !_users.TryGetValue(name, out user)
                || !FixedTimeEquals(user.Password, password))
            {
                context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\"";
                await WriteDistributionErrorAsync(context, 401, "UNAUTHORIZED", "authentication required");
                return record;
            }

            username = name;
        }

        string? refreshToken = null;
        if (username is not null
            && string.Equals(context.Request.Query["offline_token"], "true", StringComparison.OrdinalIgnoreCase))
        {
            refreshToken = NewIdentityToken(username);
        }

        await IssueAsync(context, username, user, record.Scopes, includeTokenField: true, refreshToken);
        return record with { Username = username };
    }

    private async Task<TokenRequest> HandlePostAsync(HttpContext context, TokenRequest record)
    {
        if (!context.Request.HasFormContentType)
        {
            await WriteOAuthErrorAsync(context, 400, "invalid_request", "expected a form body");
            return record;
        }

        var form = await context.Request.ReadFormAsync();
        record = record with
        {
            Scopes = TokenScope.Split(form["scope"]),
            Service = NullIfEmpty(form["service"]),
            GrantType = NullIfEmpty(form["grant_type"]),
            ClientId = NullIfEmpty(form["client_id"]),
            UsedRefreshToken = form["grant_type"] == "refresh_token",
        };

        if (Options.RequireClientId && record.ClientId is null)
        {
            await WriteOAuthErrorAsync(context, 400, "invalid_request", "client_id is required");
            return record;
        }

        if (record.Service is not null && record.Service != Service)
        {
            await WriteOAuthErrorAsync(context, 400, "invalid_request", $"unknown service '{record.Service}'");
            return record;
        }

        string username;
        string refreshToken;
        switch (record.GrantType)
        {
            case "refresh_token":
                refreshToken = form["refresh_token"].ToString();
                if (!_identityTokens.TryGetValue(refreshToken, out var owner))
                {
                    await WriteOAuthErrorAsync(context, 401, "invalid_grant", "unknown refresh token");
                    return record;
                }

                username = owner;
                break;

            case "password":
                username = form["username"].ToString();
                if (!_users.TryGetValue(username, out var candidate)
                    || !FixedTimeEquals(candidate.Password, form["password"].ToString()))
                {
                    await WriteOAuthErrorAsync(context, 401, "invalid_grant", "wrong user name or password");
                    return record;
                }

                refreshToken = NewIdentityToken(username);
                break;

            default:
                await WriteOAuthErrorAsync(context, 400, "unsupported_grant_type", "use refresh_token or password");
                return record;
        }

        _users.TryGetValue(username, out var user);
        await IssueAsync(context, username, user, record.Scopes, includeTokenField: false, refreshToken);
        return record with { Username = username };
    }

    private async Task IssueAsync(
        HttpContext context,
        string? username,
        TokenUser? user,
        IReadOnlyList<string> scopes,
        bool includeTokenField,
        string? refreshToken)
    {
        var access = Grant(username is null ? null : user ?? new TokenUser(string.Empty), scopes);

        var lifetime = Options.TokenLifetime;
        var token = _signer.Sign(Issuer, Service, username ?? string.Empty, lifetime, access);
        _issuedTokens.Enqueue(token);

        var issuedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await WriteJsonAsync(context, 200, writer =>
        {
            if (includeTokenField)
            {
                writer.WriteString("token", token);
            }

            writer.WriteString("access_token", token);
            writer.WriteNumber("expires_in", (long)lifetime.TotalSeconds);
            writer.WriteString("issued_at", issuedAt);
            if (!includeTokenField)
            {
                writer.WriteString("scope", string.Join(' ', scopes));
            }

            if (refreshToken is not null)
            {
                writer.WriteString("refresh_token", refreshToken);
            }
        });
    }

    private List<TokenScope> Grant(TokenUser? user, IReadOnlyList<string> scopes)
    {
        var granted = new List<TokenScope>();
        foreach (var requested in scopes.Select(TokenScope.TryParse).OfType<TokenScope>())
        {
            IReadOnlyCollection<string> allowed = requested.Type switch
            {
                "repository" when user is null =>
                    _publicRepositories.ContainsKey(requested.Name) ? ["pull"] : [],
                "repository" => user.Permissions?.Invoke(requested.Name) ?? TokenUser.FullAccess,
                "registry" when user is not null && user.Permissions is null => ["*"],
                _ => [],
            };

            var actions = requested.Actions
                .Where(a => allowed.Contains("*") || allowed.Contains(a))
                .Distinct(StringComparer.Ordinal)
                .ToList();

            var existing = granted.FindIndex(g => g.Type == requested.Type && g.Name == requested.Name);
            if (existing >= 0)
            {
                var merged = granted[existing].Actions.Union(actions, StringComparer.Ordinal).ToList();
                granted[existing] = granted[existing] with { Actions = merged };
            }
            else
            {
                granted.Add(requested with { Actions = actions });
            }
        }

        return granted;
    }

    private string NewIdentityToken(string username)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _identityTokens[token] = username;
        return token;
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    private static string? NullIfEmpty(StringValues value) =>
        StringValues.IsNullOrEmpty(value) ? null : value.ToString();
}
