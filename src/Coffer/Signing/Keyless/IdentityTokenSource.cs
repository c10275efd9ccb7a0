using System.Text.Json;
using Coffer.Diagnostics;
using Coffer.Errors;
using Coffer.Signing.Services;

namespace Coffer.Signing.Keyless;

/// <summary>
/// Finds the OIDC identity token for keyless signing, in this order:
/// <list type="number">
/// <item>Step 1: the explicit value (<c>--identity-token</c>): the token, or a path to a file holding it.</item>
/// <item>Step 2: the <c>SIGSTORE_ID_TOKEN</c> environment variable.</item>
/// <item>Step 3: GitHub Actions, when <c>ACTIONS_ID_TOKEN_REQUEST_URL</c> and
/// <c>ACTIONS_ID_TOKEN_REQUEST_TOKEN</c> are set: <c>GET $URL&amp;audience=sigstore</c> with
/// <c>Authorization: bearer $TOKEN</c>, answered by <c>{"value":"JWT"}</c>.</item>
/// </list>
/// Every token found, and the GitHub request token, is registered with the <see cref="Redactor"/>
/// so no message or log line can show it. There is no interactive browser flow.
/// </summary>
public sealed class IdentityTokenSource
{
    /// <summary>The audience Fulcio requires.</summary>
    public const string Audience = "sigstore";

    private readonly string? _explicitToken;
    private readonly Func<string, string?> _environment;
    private readonly SigstoreHttp _http;

    /// <summary>Creates a source.</summary>
    /// <param name="explicitToken">The <c>--identity-token</c> value (token or file path), or null.</param>
    /// <param name="environment">Reads an environment variable; null means the process environment.</param>
    /// <param name="http">The client for the GitHub token endpoint.</param>
    /// <param name="log">Debug log whose redactor learns the secrets; null for none.</param>
    public IdentityTokenSource(
        string? explicitToken,
        Func<string, string?>? environment,
        HttpClient http,
        DebugLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _explicitToken = string.IsNullOrWhiteSpace(explicitToken) ? null : explicitToken;
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _http = new SigstoreHttp(http, log);
    }

    /// <summary>The redactor that masks the tokens this source handled.</summary>
    public Redactor Redactor => _http.Redactor;

    /// <summary>Returns the identity token, fetching it from GitHub Actions when that is the source.</summary>
    /// <exception cref="CofferException">No source has a token, or the GitHub endpoint refused.</exception>
    public async Task<IdentityToken> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        // Step 1: --identity-token.
        if (_explicitToken is not null)
        {
            var value = ReadExplicit(_explicitToken);
            Redactor.AddSecret(value);
            return Checked(IdentityToken.Parse(value, "--identity-token"));
        }

        // Step 2: SIGSTORE_ID_TOKEN.
        if (_environment("SIGSTORE_ID_TOKEN") is { Length: > 0 } fromEnvironment)
        {
            Redactor.AddSecret(fromEnvironment.Trim());
            return Checked(IdentityToken.Parse(fromEnvironment, "SIGSTORE_ID_TOKEN"));
        }

        // Step 3: GitHub Actions.
        var requestUrl = _environment("ACTIONS_ID_TOKEN_REQUEST_URL");
        var requestToken = _environment("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
        if (!string.IsNullOrEmpty(requestUrl) && !string.IsNullOrEmpty(requestToken))
        {
            Redactor.AddSecret(requestToken);
            return Checked(await FetchGitHubTokenAsync(requestUrl, requestToken, cancellationToken)
                .ConfigureAwait(false));
        }

        if (string.Equals(_environment("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase)
            || !string.IsNullOrEmpty(requestUrl) || !string.IsNullOrEmpty(requestToken))
        {
            throw new CofferException(
                "running in GitHub Actions, but the job cannot request an OIDC token: "
                + "ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not both set",
                "Give the job 'permissions: id-token: write'. The variables are also absent for pull "
                + "requests from forks.");
        }

        throw new CofferException(
            "keyless signing needs an OIDC identity token, and none was found",
            "Pass --identity-token, set SIGSTORE_ID_TOKEN, or run in GitHub Actions with "
            + "'permissions: id-token: write'; or sign with --key.",
            ExitCodes.Usage);
    }

    private static string ReadExplicit(string value)
    {
        // Like cosign: the flag takes the token itself or a file that holds it.
        if (!value.Contains('.', StringComparison.Ordinal) || File.Exists(value))
        {
            try
            {
                return File.ReadAllText(value).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException
                or NotSupportedException)
            {
                throw new UsageException("--identity-token is neither a JWT nor a readable file");
            }
        }

        return value.Trim();
    }

    private static IdentityToken Checked(IdentityToken token)
    {
        if (token.ExpiresAt is { } expires && expires < DateTimeOffset.UtcNow)
        {
            throw new CofferException(
                $"the identity token from {token.Issuer} expired at {expires:u}",
                "Get a fresh token; OIDC ID tokens live only a few minutes.");
        }

        if (!token.Audiences.Contains(Audience))
        {
            throw new CofferException(
                $"the identity token from {token.Issuer} is not issued for the audience '{Audience}'",
                "Request the token with audience 'sigstore'; Fulcio refuses any other.");
        }

        return token;
    }

    private async Task<IdentityToken> FetchGitHubTokenAsync(
        string requestUrl,
        string requestToken,
        CancellationToken cancellationToken)
    {
        // The URL GitHub gives already has a query, hence '&'.
        var separator = requestUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        if (!Uri.TryCreate($"{requestUrl}{separator}audience={Audience}", UriKind.Absolute, out var url))
        {
            throw new CofferException("ACTIONS_ID_TOKEN_REQUEST_URL is not an absolute URL");
        }

        using var response = await _http.SendAsync("GitHub Actions OIDC", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Authorization", "bearer " + requestToken);
            request.Headers.Accept.ParseAdd("application/json");
            return request;
        }, cancellationToken).ConfigureAwait(false);

        if (!response.IsSuccessStatusCode)
        {
            throw await _http.FailureAsync(
                "GitHub Actions OIDC", response, "token request",
                "Check the job has 'permissions: id-token: write' and that the token has not expired.",
                cancellationToken).ConfigureAwait(false);
        }

        string? value = null;
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("value", out var element)
                && element.ValueKind == JsonValueKind.String)
            {
                value = element.GetString();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Reported below without the body, which may hold a token. InvalidOperationException is a
            // lone surrogate, escaped ("\ud800") or encoded as UTF-8: it passes the JSON reader, but no
            // string holds it.
        }

        if (string.IsNullOrEmpty(value))
        {
            throw new CofferException("the GitHub Actions OIDC endpoint answered without a token value");
        }

        Redactor.AddSecret(value);
        return IdentityToken.Parse(value, "the GitHub Actions OIDC endpoint");
    }
}
