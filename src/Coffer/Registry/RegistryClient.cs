using Coffer.Registry.Auth;

namespace Coffer.Registry;

/// <summary>
/// A client for one registry, holding one connection pool and one authentication session.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly RegistryTransport _transport;
    private readonly AuthSession _auth;

    /// <summary>Creates a client for the registry and repository of a reference.</summary>
    /// <param name="reference">Names the registry and the repository the client will use.</param>
    /// <param name="options">Transport, TLS and credential settings.</param>
    /// <param name="write">True when the client will push, so tokens are asked for pull and push at once.</param>
    public RegistryClient(Reference reference, RegistryClientOptions options, bool write)
        : this(reference?.Registry!, reference, options, write)
    {
    }

    /// <summary>Creates a client for a registry alone, to log in or list repositories.</summary>
    /// <param name="registry">The registry host, with its port when it has one.</param>
    /// <param name="options">Transport, TLS and credential settings.</param>
    public RegistryClient(string registry, RegistryClientOptions options)
        : this(registry, null, options, write: false)
    {
    }

    private RegistryClient(string registry, Reference? reference, RegistryClientOptions options, bool write)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Registry = registry;
        var endpoint = reference?.Endpoint
            ?? (registry is "docker.io" or "index.docker.io" ? "registry-1.docker.io" : registry);
        var plain = options.PlainHttp ?? IsLocalhost(registry);
        BaseUri = new Uri($"{(plain ? "http" : "https")}://{endpoint}");
        _http = HttpClientFactory.Create(options, endpoint);
        var auth = _auth = new AuthSession(
            BaseUri, registry, options.Credentials, readOnly: !write, _http, options.Log, options.Warn,
            options.Timeout)
        {
            FlagPrefix = options.CredentialFlagPrefix,
        };
        string[] scopes = reference is null ? []
            : [write ? Scopes.PullPush(reference.Repository) : Scopes.Pull(reference.Repository)];
        _transport = new RegistryTransport(_http, BaseUri, auth, scopes, options.Retry, options.Log, options.Timeout);
        Repository = reference is null ? null : new Repository(_transport, reference, options);
    }

    /// <summary>The registry host as written.</summary>
    public string Registry { get; }

    /// <summary>The registry's base URL.</summary>
    public Uri BaseUri { get; }

    /// <summary>The options in use.</summary>
    public RegistryClientOptions Options { get; }

    /// <summary>The repository the client was made for, or null for a registry-only client.</summary>
    public Repository? Repository { get; }

    /// <summary>How many HTTP requests have been sent to the registry (token requests excluded).</summary>
    public long RequestCount => _transport.RequestCount;

    /// <summary>Checks that the registry answers and accepts the credential: <c>GET /v2/</c>.</summary>
    public Task PingAsync(CancellationToken cancellationToken = default) =>
        _transport.PingAsync($"ping {Registry}", cancellationToken);

    /// <inheritdoc/>
    public void Dispose()
    {
        _transport.Dispose();
        _auth.Dispose();
        _http.Dispose();
    }

    private static bool IsLocalhost(string registry) =>
        registry.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || registry.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase);
}
