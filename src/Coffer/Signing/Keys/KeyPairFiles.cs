namespace Coffer.Signing.Keys;

/// <summary>The two files of a key pair written by <see cref="KeyPairWriter"/>.</summary>
/// <param name="PrivateKeyPath">The encrypted private key, <c>&lt;prefix&gt;.key</c>, mode 0600.</param>
/// <param name="PublicKeyPath">The public key, <c>&lt;prefix&gt;.pub</c>.</param>
public sealed record KeyPairFiles(string PrivateKeyPath, string PublicKeyPath);
