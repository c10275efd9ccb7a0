using Coffer.Credentials;

namespace Coffer.Registry.Auth;

/// <summary>
/// Where a session gets its credential: given on the command line for this command only, or
/// looked up in a store the first time the registry asks for one.
/// </summary>
public sealed class CredentialSource
{
    private readonly RegistryCredential? _explicit;
    private readonly ICredentialStore? _store;

    private CredentialSource(RegistryCredential? explicitCredential, ICredentialStore? store)
    {
        _explicit = explicitCredential;
        _store = store;
    }

    /// <summary>No credential: anonymous access only.</summary>
    public static CredentialSource None { get; } = new(null, null);

    /// <summary>A credential for this command only, written nowhere.</summary>
    public static CredentialSource FromCommandLine(RegistryCredential credential) => new(credential, null);

    /// <summary>A credential looked up in a store.</summary>
    public static CredentialSource FromStore(ICredentialStore store) => new(null, store);

    /// <summary>True when the credential was given for this command.</summary>
    public bool IsExplicit => _explicit is not null;

    /// <summary>
    /// Whether a credential may be at hand for a registry host: one given for this command, or one
    /// the store may hold (asked without running a credential helper).
    /// </summary>
    public async Task<bool> MayHaveAsync(string registry, CancellationToken cancellationToken)
    {
        if (_explicit is not null)
        {
            return true;
        }

        return _store is not null && await _store.MayHoldAsync(registry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finds the credential for a registry host.</summary>
    public async Task<StoredCredential?> ResolveAsync(string registry, CancellationToken cancellationToken)
    {
        if (_explicit is not null)
        {
            return new StoredCredential(_explicit, "the command line");
        }

        return _store is null ? null : await _store.GetAsync(registry, cancellationToken).ConfigureAwait(false);
    }
}
