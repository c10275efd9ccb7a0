namespace Coffer.Credentials;

/// <summary>
/// The credential store behind a docker config file, used the way the docker CLI uses it.
/// </summary>
/// <remarks>
/// For each registry the store picks, in order:
/// <list type="number">
/// <item><description>the helper named in <c>credHelpers</c> for that registry;</description></item>
/// <item><description>the helper named in <c>credsStore</c>;</description></item>
/// <item><description>the <c>auths</c> section of the file itself (plain text).</description></item>
/// </list>
/// A configured helper that is missing or fails is an error; the store never falls back to plain
/// text on its own. The file is read again on every call, so changes made by other tools (or by
/// an earlier login in the same process) are seen.
/// </remarks>
public sealed class DockerConfigStore : ICredentialStore
{
    private readonly CredentialHelperOptions _helperOptions;

    /// <summary>Creates a store over one config file.</summary>
    /// <param name="configPath">The config file, usually from <see cref="DockerConfigLocator"/>.</param>
    /// <param name="helperOptions">Where to find credential helpers and how long they may run.</param>
    public DockerConfigStore(string configPath, CredentialHelperOptions? helperOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configPath);

        ConfigPath = Path.GetFullPath(configPath);
        _helperOptions = helperOptions ?? new CredentialHelperOptions();
    }

    /// <summary>The config file this store reads and writes.</summary>
    public string ConfigPath { get; }

    /// <inheritdoc/>
    public async Task<StoredCredential?> GetAsync(
        string registry,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(registry);

        DockerConfigFile file = await DockerConfigFile.LoadAsync(ConfigPath, cancellationToken)
            .ConfigureAwait(false);

        CredentialHelper? helper = HelperFor(file, registry);
        if (helper is not null)
        {
            RegistryCredential? fromHelper = await helper
                .GetAsync(RegistryKey.ToStorageKey(registry), cancellationToken)
                .ConfigureAwait(false);
            return fromHelper is null ? null : new StoredCredential(fromHelper, helper.Description);
        }

        RegistryCredential? fromFile = file.GetCredential(registry);
        return fromFile is null ? null : new StoredCredential(fromFile, ConfigPath);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// True when the file names a helper for the registry (or a default one) or has an
    /// <c>auths</c> entry for it; also true when the file cannot be read, so that the error
    /// comes when a credential is needed, from <see cref="GetAsync"/>.
    /// </remarks>
    public async Task<bool> MayHoldAsync(string registry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(registry);

        try
        {
            DockerConfigFile file = await DockerConfigFile.LoadAsync(ConfigPath, cancellationToken)
                .ConfigureAwait(false);
            return file.FindCredentialHelper(registry) is not null || file.FindAuthKey(registry) is not null;
        }
        catch (CredentialStoreException)
        {
            return true;
        }
    }

    /// <inheritdoc/>
    public async Task<StoreResult> StoreAsync(
        string registry,
        RegistryCredential credential,
        bool allowPlaintext,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(registry);
        ArgumentNullException.ThrowIfNull(credential);

        DockerConfigFile file = await DockerConfigFile.LoadAsync(ConfigPath, cancellationToken)
            .ConfigureAwait(false);

        CredentialHelper? helper = HelperFor(file, registry);
        if (helper is not null)
        {
            string serverUrl = RegistryKey.ToStorageKey(registry);
            await helper.StoreAsync(serverUrl, credential, cancellationToken).ConfigureAwait(false);

            // A plain-text copy left from before the helper was set up would still be on disk
            // and readable by anything that ignores the helper; remove it.
            if (file.RemoveCredential(registry))
            {
                await file.SaveAsync(cancellationToken).ConfigureAwait(false);
            }

            return new StoreResult(helper.Description, IsPlaintext: false);
        }

        if (!allowPlaintext)
        {
            throw new CredentialStoreException(
                $"Refused to store the credential for {registry} in plain text in {ConfigPath}: "
                + "no credential helper is configured there. To go on, set \"credsStore\" in that "
                + "file to an installed helper (for example \"pass\", \"secretservice\", "
                + "\"osxkeychain\" or \"wincred\"), or allow plain-text storage explicitly, or "
                + "skip the login and pass -u <user> --password-stdin to each command.");
        }

        file.SetCredential(registry, credential);
        await file.SaveAsync(cancellationToken).ConfigureAwait(false);
        return new StoreResult(ConfigPath, IsPlaintext: true);
    }

    /// <inheritdoc/>
    public async Task<bool> EraseAsync(
        string registry,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(registry);

        DockerConfigFile file = await DockerConfigFile.LoadAsync(ConfigPath, cancellationToken)
            .ConfigureAwait(false);

        bool erased = false;
        CredentialHelper? helper = HelperFor(file, registry);
        if (helper is not null)
        {
            erased = await helper.EraseAsync(RegistryKey.ToStorageKey(registry), cancellationToken)
                .ConfigureAwait(false);
        }

        // Also drop any plain-text entry, so a logout leaves no secret behind in the file.
        if (file.RemoveCredential(registry))
        {
            await file.SaveAsync(cancellationToken).ConfigureAwait(false);
            erased = true;
        }

        return erased;
    }

    private CredentialHelper? HelperFor(DockerConfigFile file, string registry)
    {
        CredentialHelperSetting? setting = file.FindCredentialHelper(registry);
        return setting is null
            ? null
            : new CredentialHelper(setting.Name, file.Path, setting.Setting, _helperOptions);
    }
}
