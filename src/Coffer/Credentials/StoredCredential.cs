namespace Coffer.Credentials;

/// <summary>A credential found in a store, with a description of where it came from.</summary>
/// <param name="Credential">The credential.</param>
/// <param name="Source">
/// Where it was found, for messages: a config file path, or a credential helper and the config
/// file that named it. Never holds a secret.
/// </param>
public sealed record StoredCredential(RegistryCredential Credential, string Source);
