namespace Coffer.Credentials;

/// <summary>
/// Turns registry names into the keys a docker config file uses, and decides whether a key in a
/// file belongs to a registry.
/// </summary>
/// <remarks>
/// Docker Hub is known by several names (<c>docker.io</c>, <c>index.docker.io</c>,
/// <c>registry-1.docker.io</c>) but the docker CLI keeps its credential under the historical key
/// <see cref="DockerHubKey"/>, so Coffer stores it there too and both tools share one login.
/// </remarks>
public static class RegistryKey
{
    /// <summary>The key under which the docker CLI keeps the Docker Hub credential.</summary>
    public const string DockerHubKey = "https://index.docker.io/v1/";

    private const string DockerHubIdentity = "index.docker.io";

    private static readonly string[] DockerHubHosts =
    [
        "docker.io",
        "index.docker.io",
        "registry-1.docker.io",
    ];

    /// <summary>
    /// Normalises a registry name typed by a user for login or logout: removes an
    /// <c>http://</c> or <c>https://</c> prefix, any path and trailing slash, and lower-cases it.
    /// <c>https://ghcr.io/</c> becomes <c>ghcr.io</c>; <c>localhost:5000</c> stays as it is.
    /// </summary>
    /// <param name="registry">The registry as given, for example <c>https://ghcr.io/</c>.</param>
    /// <returns>The bare host, with its port when it has one.</returns>
    /// <exception cref="ArgumentException">Nothing usable is left after normalising.</exception>
    public static string NormalizeInput(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);

        string host = ExtractHost(registry);
        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException(
                "The registry name is empty or contains spaces; expected a host such as ghcr.io "
                + "or localhost:5000.",
                nameof(registry));
        }

        // Host names compare case-insensitively, and keeping one spelling avoids two entries
        // for the same registry in the config file.
        return host.ToLowerInvariant();
    }

    /// <summary>
    /// The key under which a registry's credential is stored: <see cref="DockerHubKey"/> for any
    /// Docker Hub name, otherwise the normalised host.
    /// </summary>
    /// <param name="registry">
    /// The registry host, or any user-typed form <see cref="NormalizeInput"/> accepts.
    /// </param>
    /// <returns>The storage key, also the server URL handed to credential helpers.</returns>
    /// <exception cref="ArgumentException">The registry name is empty.</exception>
    public static string ToStorageKey(string registry)
    {
        string host = NormalizeInput(registry);
        return IsDockerHub(host) ? DockerHubKey : host;
    }

    /// <summary>
    /// True when a key found in a config file names the same registry as <paramref name="registry"/>,
    /// comparing normalised hosts (so <c>https://ghcr.io/</c> matches <c>ghcr.io</c>).
    /// </summary>
    /// <param name="key">A key from <c>auths</c> or <c>credHelpers</c>.</param>
    /// <param name="registry">The registry being looked up.</param>
    public static bool HostMatches(string key, string registry)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(registry);

        string keyIdentity = Identity(key);
        return keyIdentity.Length > 0
            && string.Equals(keyIdentity, Identity(registry), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The host a key stands for, with all Docker Hub names folded into one.</summary>
    private static string Identity(string value)
    {
        string host = ExtractHost(value);
        return IsDockerHub(host) ? DockerHubIdentity : host;
    }

    private static bool IsDockerHub(string host) =>
        DockerHubHosts.Contains(host, StringComparer.OrdinalIgnoreCase);

    private static string ExtractHost(string value)
    {
        ReadOnlySpan<char> rest = value.AsSpan().Trim();

        if (rest.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest["https://".Length..];
        }
        else if (rest.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest["http://".Length..];
        }

        int slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            rest = rest[..slash];
        }

        return rest.ToString();
    }
}
