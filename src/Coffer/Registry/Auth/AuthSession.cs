using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Coffer.Credentials;
using Coffer.Diagnostics;
using Coffer.Errors;

namespace Coffer.Registry.Auth;

/// <summary>
/// The authentication state for one registry origin within one process.
/// <list type="number">
/// <item>Step 1: requests go out with whatever is cached: Basic credentials once the registry has
/// asked for them, or a bearer token cached for the request's scope set.</item>
/// <item>Step 2: a 401 brings a challenge. For Basic, the credential is looked up and encoded.
/// For Bearer, the realm is checked by <see cref="RealmPolicy"/>, the challenge's scope is merged
/// with the request's, and a token is fetched (one fetch at a time) and cached per realm,
/// service and scope set.</item>
/// <item>Step 3: the request is retried once. A token that was refused is dropped from the cache.</item>
/// </list>
/// When a stored credential is refused by the token service during a read-only operation, the
/// session asks for an anonymous token once and warns where the stale credential lives.
/// </summary>
public sealed class AuthSession : IDisposable
{
    private readonly Uri _registry;
    private readonly string _registryHost;
    private readonly CredentialSource _credentials;
    private readonly bool _readOnly;
    private readonly TokenClient _tokens;
    private readonly DebugLog _log;
    private readonly Action<string> _warn;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, CachedToken> _cache = new(StringComparer.Ordinal);

    private Task<bool>? _mayAuthenticate;
    private StoredCredential? _credential;
    private bool _credentialResolved;
    private bool _useAnonymous;
    private string? _basic;
    private Uri? _realm;
    private string? _service;
    private bool _warnedRealm;

    internal AuthSession(
        Uri registry, string registryHost, CredentialSource credentials, bool readOnly, HttpClient http,
        DebugLog log, Action<string> warn, TimeSpan timeout)
    {
        _registry = registry;
        _registryHost = registryHost;
        _credentials = credentials;
        _readOnly = readOnly;
        _tokens = new TokenClient(http, log, timeout);
        _log = log;
        _warn = warn;
    }

    /// <summary>
    /// The prefix of the command's credential flags (<c>from-</c>, <c>to-</c> for a side of a copy),
    /// so that the hints of authentication errors name the flags of this side.
    /// </summary>
    internal string FlagPrefix { get; init; } = "";

    /// <summary>
    /// Whether this session has a credential it could answer a challenge with, or may have one in
    /// its store. Asked once; a helper is not run to answer it. The answer is kept for every later
    /// request, so no one request's cancellation may end it: reading the config file is quick.
    /// </summary>
    internal Task<bool> MayAuthenticateAsync() =>
        _mayAuthenticate ??= _credentials.MayHaveAsync(_registryHost, CancellationToken.None);

    /// <summary>Step 1: the Authorization header for a request, from what is cached.</summary>
    public AuthenticationHeaderValue? GetAuthorization(IReadOnlyList<string> scopes)
    {
        if (_basic is not null)
        {
            return new AuthenticationHeaderValue("Basic", _basic);
        }

        if (_realm is null)
        {
            return null;
        }

        lock (_cache)
        {
            return _cache.TryGetValue(CacheKey(scopes), out var token) && token.ExpiresAt > DateTimeOffset.UtcNow
                ? new AuthenticationHeaderValue("Bearer", token.Value)
                : null;
        }
    }

    /// <summary>Steps 2 and 3: answers a 401. Returns true when the request is worth retrying.</summary>
    /// <param name="challenges">The challenges of the 401.</param>
    /// <param name="scopes">The scopes the request needs.</param>
    /// <param name="sent">The Authorization header the request carried, if any.</param>
    /// <param name="operation">What the request is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the token request.</param>
    public async Task<bool> AuthenticateAsync(
        IReadOnlyList<AuthChallenge> challenges, IReadOnlyList<string> scopes, AuthenticationHeaderValue? sent,
        string operation, CancellationToken cancellationToken)
    {
        var bearer = challenges.FirstOrDefault(c => c.IsBearer);
        var basic = challenges.FirstOrDefault(c => c.IsBasic);
        if (bearer is null && basic is null)
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another request may have authenticated while this one waited.
            var current = GetAuthorization(scopes);
            if (current is not null && !SameHeader(current, sent))
            {
                return true;
            }

            var stored = await ResolveCredentialAsync(operation, cancellationToken).ConfigureAwait(false);
            if (bearer is not null)
            {
                return await FetchTokenAsync(bearer, scopes, stored, operation, cancellationToken)
                    .ConfigureAwait(false);
            }

            if (stored is null || stored.Credential.Username is null || stored.Credential.Password is null)
            {
                var flags = CredentialFlags.Password(FlagPrefix);
                throw new CofferException(
                    $"{operation}: registry {_registryHost} requires a username and password (Basic auth)",
                    stored?.Credential.IdentityToken is not null
                        ? $"an identity token cannot be used for Basic auth; pass {flags}"
                        : $"pass {flags}, or run: coffer login {_registryHost}");
            }

            var encoded = Convert.ToBase64String(
                Encoding.UTF8.GetBytes($"{stored.Credential.Username}:{stored.Credential.Password}"));
            if (_basic == encoded)
            {
                // The same credential was already refused.
                return false;
            }

            _log.Redactor.AddSecret(encoded);
            _basic = encoded;
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<StoredCredential?> ResolveCredentialAsync(string operation, CancellationToken cancellationToken)
    {
        if (!_credentialResolved)
        {
            try
            {
                _credential = await _credentials.ResolveAsync(_registryHost, cancellationToken).ConfigureAwait(false);
            }
            catch (CredentialStoreException e)
            {
                // The store's messages name the flags of a command with one registry; one side of
                // a copy has them with its prefix, and the operation says which side it is.
                var message = FlagPrefix.Length == 0 ? e.Message : e.Message
                    .Replace("--registry-config", $"--{FlagPrefix}registry-config", StringComparison.Ordinal)
                    .Replace(CredentialFlags.Password(""), CredentialFlags.Password(FlagPrefix),
                        StringComparison.Ordinal);
                throw new CredentialStoreException($"{operation}: {message}", e);
            }

            _credentialResolved = true;
            if (_credential is not null)
            {
                _log.Redactor.AddBasicSecret(_credential.Credential.Username, _credential.Credential.Password);
                _log.Redactor.AddSecret(_credential.Credential.IdentityToken);
                _log.Write($"auth: using {_credential.Credential} from {_credential.Source}");
            }
        }

        return _useAnonymous ? null : _credential;
    }

    private async Task<bool> FetchTokenAsync(
        AuthChallenge challenge, IReadOnlyList<string> scopes, StoredCredential? stored, string operation,
        CancellationToken cancellationToken)
    {
        var realm = RealmPolicy.Validate(challenge["realm"], _registry);
        var service = challenge["service"];
        var merged = Scopes.Merge(challenge["scope"] is { } scope ? scopes.Append(scope) : scopes);
        if (_realm is not null && (!Equals(_realm, realm) || _service != service))
        {
            _cache.Clear();
        }

        _realm = realm;
        _service = service;
        var key = CacheKey(merged);
        lock (_cache)
        {
            _cache.Remove(key);
        }

        CachedToken token;
        var credential = stored?.Credential ?? RegistryCredential.Anonymous;
        if (!credential.IsAnonymous && !_warnedRealm && Site(realm.Host) != Site(_registry.Host))
        {
            // The protocol lets a registry name any token service; say where the secret goes.
            _warnedRealm = true;
            _warn($"{_registryHost} sends its credential to a token service on another host, " +
                $"{Http.Origin.Of(realm)}");
        }

        try
        {
            token = await _tokens.FetchAsync(realm, service, merged, credential, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TokenRefusedException e) when (_readOnly && stored is not null && !_credentials.IsExplicit
            && e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            token = await _tokens.FetchAsync(realm, service, merged, RegistryCredential.Anonymous, cancellationToken)
                .ConfigureAwait(false);
            _useAnonymous = true;
            _warn($"the credential for {_registryHost} stored in {stored.Source} was refused " +
                $"({(int)e.StatusCode}); continuing anonymously. Run 'coffer login {_registryHost}' to renew " +
                $"it or 'coffer logout {_registryHost}' to remove it");
        }
        catch (TokenRefusedException e)
        {
            // Say which command (or which side of a copy) was refused, and name that side's flags.
            throw new TokenRefusedException(e.StatusCode, $"{operation}: {e.Message}",
                $"check the credential: pass {CredentialFlags.Password(FlagPrefix)}, or run coffer login", e);
        }

        lock (_cache)
        {
            _cache[key] = token;

            // Requests carry the scopes they were built with; remember the token under those too.
            _cache[CacheKey(scopes)] = token;
        }

        return true;
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    // The registrable part of a host, roughly: its last two labels (auth.docker.io and
    // registry-1.docker.io share docker.io); an address or a one-label name stands for itself.
    private static string Site(string host)
    {
        if (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out _))
        {
            return host;
        }

        var labels = host.TrimEnd('.').Split('.');
        return labels.Length <= 2 ? host.TrimEnd('.') : string.Join('.', labels[^2..]);
    }

    private string CacheKey(IEnumerable<string> scopes) => $"{_realm}|{_service}|{Scopes.Key(scopes)}";

    private static bool SameHeader(AuthenticationHeaderValue a, AuthenticationHeaderValue? b) =>
        b is not null && a.Scheme == b.Scheme && a.Parameter == b.Parameter;
}
