namespace Coffer.Credentials;

/// <summary>
/// Finds the docker config file that holds registry credentials, the way the docker CLI does.
/// </summary>
/// <remarks>
/// The order is: the path given with <c>--registry-config</c>, then
/// <c>$DOCKER_CONFIG/config.json</c>, then <c>~/.docker/config.json</c>. The environment and the
/// home directory are passed in, so tests never touch the real <c>~/.docker</c>.
/// </remarks>
public sealed class DockerConfigLocator
{
    /// <summary>The environment variable naming the docker config directory.</summary>
    public const string DockerConfigVariable = "DOCKER_CONFIG";

    /// <summary>The file name inside a docker config directory.</summary>
    public const string ConfigFileName = "config.json";

    private readonly Func<string, string?> _environment;
    private readonly string _homeDirectory;

    /// <summary>Creates a locator.</summary>
    /// <param name="environment">Looks up an environment variable; returns null when unset.</param>
    /// <param name="homeDirectory">The user's home directory.</param>
    public DockerConfigLocator(Func<string, string?> environment, string homeDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(homeDirectory);

        _environment = environment;
        _homeDirectory = homeDirectory;
    }

    /// <summary>A locator over this process's environment and the current user's home.</summary>
    public static DockerConfigLocator ForCurrentUser() =>
        new(
            Environment.GetEnvironmentVariable,
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>Resolves the config file path.</summary>
    /// <param name="explicitPath">The <c>--registry-config</c> value, or null when not given.</param>
    /// <returns>An absolute path; the file need not exist.</returns>
    /// <exception cref="CredentialStoreException">
    /// No home directory is known and nothing else was set.
    /// </exception>
    public string Resolve(string? explicitPath = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return Path.GetFullPath(explicitPath);
        }

        // An empty DOCKER_CONFIG counts as unset, as it does for the docker CLI.
        string? configDirectory = _environment(DockerConfigVariable);
        if (!string.IsNullOrWhiteSpace(configDirectory))
        {
            return Path.GetFullPath(Path.Combine(configDirectory, ConfigFileName));
        }

        if (string.IsNullOrWhiteSpace(_homeDirectory))
        {
            throw new CredentialStoreException(
                "Cannot find the docker config file: no home directory is known and "
                + $"{DockerConfigVariable} is not set. Set {DockerConfigVariable} or pass "
                + "--registry-config <file>.");
        }

        return Path.GetFullPath(Path.Combine(_homeDirectory, ".docker", ConfigFileName));
    }
}
