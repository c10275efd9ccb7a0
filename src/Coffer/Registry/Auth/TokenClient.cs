using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Coffer.Credentials;
using Coffer.Diagnostics;
using Coffer.Errors;
using Coffer.Http;

namespace Coffer.Registry.Auth;

/// <summary>
/// Fetches bearer tokens from a realm, as the Docker token specification describes:
/// <list type="number">
/// <item>With a username and password, or anonymously: <c>GET realm?service=..&amp;scope=..</c>,
/// with Basic credentials when there are some.</item>
/// <item>With an identity token: the OAuth2 <c>POST</c> with <c>grant_type=refresh_token</c>.</item>
/// <item>When the realm refuses that POST (ghcr.io answers 405), the GET of step 1 with the
/// token as the password of a placeholder username.</item>
/// </list>
/// </summary>
internal sealed class TokenClient
{
    /// <summary>The username sent with an identity token when the realm only takes Basic auth.</summary>
    public const string PlaceholderUsername = "coffer";

    private const int MaxResponseBytes = 128 * 1024;
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;
    private readonly DebugLog _log;
    private readonly TimeSpan _timeout;

    /// <param name="http">The client to send with.</param>
    /// <param name="log">The debug log.</param>
    /// <param name="timeout">How long the token service may take to answer, or let its body stall.</param>
    public TokenClient(HttpClient http, DebugLog log, TimeSpan timeout)
    {
        _http = http;
        _log = log;
        _timeout = timeout;
    }

    public async Task<CachedToken> FetchAsync(
        Uri realm, string? service, IReadOnlyList<string> scopes, RegistryCredential credential,
        CancellationToken cancellationToken)
    {
        if (credential.IdentityToken is { } refreshToken)
        {
            var (token, refused) = await PostRefreshAsync(realm, service, scopes, refreshToken, cancellationToken)
                .ConfigureAwait(false);
            if (token is not null)
            {
                return token;
            }

            _log.Write($"token: {Origin.Of(realm)} refused the OAuth2 refresh_token POST ({refused}); " +
                $"retrying with GET and Basic auth as user '{credential.Username ?? PlaceholderUsername}'");
            var basic = new RegistryCredential(credential.Username ?? PlaceholderUsername, refreshToken, null);
            return await GetAsync(realm, service, scopes, basic, cancellationToken).ConfigureAwait(false);
        }

        return await GetAsync(realm, service, scopes, credential, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CachedToken> GetAsync(
        Uri realm, string? service, IReadOnlyList<string> scopes, RegistryCredential credential,
        CancellationToken cancellationToken)
    {
        var query = new StringBuilder();
        void Add(string key, string value) =>
            query.Append(query.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
        if (!string.IsNullOrEmpty(realm.Query))
        {
            query.Append(realm.Query);
        }

        if (service is not null)
        {
            Add("service", service);
        }

        foreach (var scope in scopes)
        {
            Add("scope", scope);
        }

        if (credential.Username is not null && !credential.IsAnonymous)
        {
            Add("account", credential.Username);
        }

        var uri = new UriBuilder(realm) { Query = query.Length == 0 ? "" : query.ToString(1, query.Length - 1) }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (!credential.IsAnonymous)
        {
            var pair = Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(pair));
        }

        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadTokenAsync(response, uri, credential, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(CachedToken? Token, string Refusal)> PostRefreshAsync(
        Uri realm, string? service, IReadOnlyList<string> scopes, string refreshToken,
        CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
            new("client_id", "coffer"),
        };
        if (service is not null)
        {
            form.Add(new("service", service));
        }

        if (scopes.Count > 0)
        {
            form.Add(new("scope", string.Join(' ', scopes)));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, realm)
        {
            Content = new FormUrlEncodedContent(form),
        };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed
            or HttpStatusCode.NotImplemented)
        {
            return (null, $"{(int)response.StatusCode}");
        }

        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            var body = await ReadCappedAsync(response, cancellationToken).ConfigureAwait(false);
            var text = Encoding.UTF8.GetString(body);
            if (text.Contains("unsupported", StringComparison.OrdinalIgnoreCase))
            {
                return (null, "400 unsupported grant type");
            }

            throw Refused(response, realm, credentialKind: "identity token");
        }

        var withToken = new RegistryCredential(null, null, refreshToken);
        return (await ReadTokenAsync(response, realm, withToken, cancellationToken).ConfigureAwait(false), "");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _log.Write($"--> {request.Method} {_log.Redactor.Url(request.RequestUri)} (token request)");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        HttpResponseMessage? response = null;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token)
                .ConfigureAwait(false);

            // The body of a token response is a secret; only the status is logged. It is small, so it
            // is read here, under the same deadline as a stalled body anywhere else.
            _log.Write($"<-- {(int)response.StatusCode} {request.Method} {_log.Redactor.Url(request.RequestUri)} " +
                "(token response body not logged)");
            await BodyBuffer.BufferAsync(response, MaxResponseBytes, _timeout, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            response?.Dispose();
            var what = e is OperationCanceledException
                ? $"no answer in {_timeout.TotalSeconds:0.#} s (timed out)"
                : e.Message;
            throw new CofferException(
                $"token request to {Origin.Of(request.RequestUri!)} failed: {what}",
                "check that the registry's token service is reachable from here");
        }
    }

    private async Task<CachedToken> ReadTokenAsync(
        HttpResponseMessage response, Uri realm, RegistryCredential credential, CancellationToken cancellationToken)
    {
        if ((int)response.StatusCode is >= 300 and < 400)
        {
            throw new CofferException(
                $"token request to {Origin.Of(realm)} was redirected ({(int)response.StatusCode}) " +
                $"to {_log.Redactor.Url(response.Headers.Location)}",
                "the token service wants an interactive login; registries behind OIDC need a CLI " +
                "secret or a robot account passed with -u and --password-stdin");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw Refused(response, realm, credential.IsAnonymous ? "anonymous access" : "credentials");
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not null && mediaType.Contains("html", StringComparison.OrdinalIgnoreCase))
        {
            throw new CofferException(
                $"token endpoint {Origin.Of(realm)} returned {mediaType} (status {(int)response.StatusCode}), " +
                "not a token",
                "registries behind an OIDC login page need a CLI secret or a robot account, " +
                "passed with -u and --password-stdin");
        }

        var body = await ReadCappedAsync(response, cancellationToken).ConfigureAwait(false);
        TokenResponse? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(body, AuthJsonContext.Default.TokenResponse);
        }
        catch (JsonException)
        {
            parsed = null;
        }

        var token = parsed?.AccessToken ?? parsed?.Token;
        if (string.IsNullOrEmpty(token))
        {
            throw new CofferException(
                $"token endpoint {Origin.Of(realm)} answered {(int)response.StatusCode} without a token",
                "the registry's token service is misconfigured; report it to its operator");
        }

        _log.Redactor.AddSecret(token);
        var lifetime = parsed!.ExpiresIn is > 0 and < 86400 * 7
            ? TimeSpan.FromSeconds(parsed.ExpiresIn.Value)
            : DefaultLifetime;

        // Stop sending a token a little before it expires, so a slow request does not carry a dead one.
        var margin = lifetime > TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(10) : TimeSpan.Zero;
        return new CachedToken(token, DateTimeOffset.UtcNow + lifetime - margin);
    }

    private static Task<byte[]> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        BoundedBody.ReadAsync(
            response,
            MaxResponseBytes,
            () => new CofferException("token response is larger than 128 KiB; refusing to read it"),
            cancellationToken);

    private static TokenRefusedException Refused(HttpResponseMessage response, Uri realm, string credentialKind) =>
        new(response.StatusCode,
            $"token request to {Origin.Of(realm)} with {credentialKind} was refused: " +
            $"{(int)response.StatusCode} {response.ReasonPhrase}");
}
