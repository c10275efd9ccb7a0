using System.Security.Cryptography;

namespace Coffer.Signing.Keys;

/// <summary>
/// Signs with an ECDSA P-256 private key and SHA-256, producing ASN.1 DER signatures
/// (<c>SEQUENCE { r, s }</c>) as Sigstore bundles carry them (spec-notes §1.3). The signer owns
/// its key; it is not meant to be shared between threads.
/// </summary>
public sealed class EcdsaSigner : IDisposable
{
    private const int DigestSize = 32;

    private readonly ECDsa _key;

    private bool _disposed;

    private EcdsaSigner(ECDsa key, PublicKeyFile publicKey)
    {
        _key = key;
        PublicKey = publicKey;
    }

    /// <summary>The public half, for a bundle's key hint or a <c>.pub</c> file.</summary>
    public PublicKeyFile PublicKey { get; }

    /// <summary>The public key as PEM, as a Rekor entry or Fulcio request carries it.</summary>
    public string PublicKeyPem => PublicKey.ToPem();

    /// <summary>The hash the signatures are made over: SHA-256.</summary>
#pragma warning disable CA1822 // An instance member, so callers need not know which key type they hold.
    public HashAlgorithmName HashAlgorithm => HashAlgorithmName.SHA256;
#pragma warning restore CA1822

    /// <summary>Generates a new P-256 key, for example an ephemeral one for keyless signing.</summary>
    public static EcdsaSigner Generate() => Own(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Copies <paramref name="key"/> into a new signer; the caller keeps its own key.</summary>
    /// <param name="key">An ECDSA P-256 key with its private part.</param>
    /// <exception cref="ArgumentException">The key is not on P-256.</exception>
    /// <exception cref="CryptographicException">The private part cannot be exported.</exception>
    public static EcdsaSigner Create(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);

        ECParameters parameters = key.ExportParameters(includePrivateParameters: true);
        try
        {
            return Own(ECDsa.Create(parameters));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    /// <summary>Signs a SHA-256 digest that the caller computed.</summary>
    /// <param name="sha256Digest">The 32-byte digest.</param>
    /// <returns>The DER signature.</returns>
    /// <exception cref="ArgumentException">The digest is not 32 bytes long.</exception>
    public byte[] SignDigest(ReadOnlySpan<byte> sha256Digest)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (sha256Digest.Length != DigestSize)
        {
            throw new ArgumentException(
                $"A SHA-256 digest is {DigestSize} bytes long, not {sha256Digest.Length}.", nameof(sha256Digest));
        }

        return _key.SignHash(sha256Digest, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>Hashes <paramref name="data"/> with SHA-256 and signs the digest.</summary>
    /// <returns>The DER signature.</returns>
    public byte[] SignData(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>Hashes a stream with SHA-256, reading it to its end, and signs the digest.</summary>
    /// <param name="data">The content to sign.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The DER signature.</returns>
    public async Task<byte[]> SignDataAsync(Stream data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ObjectDisposedException.ThrowIf(_disposed, this);

        byte[] digest = await SHA256.HashDataAsync(data, cancellationToken).ConfigureAwait(false);
        return SignDigest(digest);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _key.Dispose();
        }
    }

    /// <summary>Wraps a key the signer now owns; it must be ECDSA P-256.</summary>
    internal static EcdsaSigner Own(ECDsa key)
    {
        try
        {
            PublicKeyFile publicKey = PublicKeyFile.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());
            if (publicKey.Algorithm != PublicKeyAlgorithm.EcdsaP256)
            {
                throw new ArgumentException("The signer needs an ECDSA P-256 key.", nameof(key));
            }

            return new EcdsaSigner(key, publicKey);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
