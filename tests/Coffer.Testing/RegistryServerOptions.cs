namespace Coffer.Testing;

/// <summary>Settings for <see cref="RegistryServer.StartAsync"/>.</summary>
public sealed class RegistryServerOptions
{
    /// <summary>The user name for Basic, Tls and Token modes (default <c>coffer</c>).</summary>
    public string? Username { get; set; }

    /// <summary>The password; null means a random one per server.</summary>
    public string? Password { get; set; }

    /// <summary>How long to wait for GET /v2/ to answer after the process starts.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>In Tls mode, also demand a client certificate signed by the test CA (mutual TLS).</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>Settings for the token server that Token mode starts. They are copied: the registry's
    /// user is added to the copy, and the signing certificate goes to the data folder. Flags can be
    /// changed later through <see cref="RegistryServer.TokenServer"/>'s <c>Options</c>.</summary>
    public TokenServerOptions? TokenServer { get; set; }

    /// <summary>Extra environment variables for the registry process, typically <c>REGISTRY_*</c>
    /// overrides of the generated config (for example <c>REGISTRY_LOG_LEVEL</c>).</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
