namespace Coffer.Credentials;

/// <summary>Where a credential was stored.</summary>
/// <param name="Location">A description of the place: a config file path or a helper's name.</param>
/// <param name="IsPlaintext">True when the secret now sits unencrypted in a file.</param>
public sealed record StoreResult(string Location, bool IsPlaintext);
