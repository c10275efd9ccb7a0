namespace Coffer.Credentials;

/// <summary>A place that keeps registry credentials between commands.</summary>
public interface ICredentialStore
{
    /// <summary>Looks up the credential stored for a registry.</summary>
    /// <param name="registry">The registry host, with its port when it has one (<c>ghcr.io</c>).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The credential and its source, or <see langword="null"/> when none is stored.</returns>
    /// <exception cref="CredentialStoreException">The store could not be read.</exception>
    Task<StoredCredential?> GetAsync(string registry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the store may hold a credential for a registry, answered without running a credential
    /// helper. A store that cannot tell cheaply answers true (the default).
    /// </summary>
    /// <param name="registry">The registry host, with its port when it has one.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>False only when no credential for the registry can be in the store.</returns>
    Task<bool> MayHoldAsync(string registry, CancellationToken cancellationToken = default) =>
        Task.FromResult(true);

    /// <summary>Stores a credential for a registry, replacing any earlier one.</summary>
    /// <param name="registry">The registry host.</param>
    /// <param name="credential">The credential to keep.</param>
    /// <param name="allowPlaintext">False to refuse writing the secret unencrypted to a file.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Where the credential now lives.</returns>
    /// <exception cref="CredentialStoreException">
    /// The store could not be written, or plain text was refused.
    /// </exception>
    Task<StoreResult> StoreAsync(
        string registry,
        RegistryCredential credential,
        bool allowPlaintext,
        CancellationToken cancellationToken = default);

    /// <summary>Removes the credential stored for a registry.</summary>
    /// <param name="registry">The registry host.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>True when something was removed.</returns>
    /// <exception cref="CredentialStoreException">The store could not be changed.</exception>
    Task<bool> EraseAsync(string registry, CancellationToken cancellationToken = default);
}
