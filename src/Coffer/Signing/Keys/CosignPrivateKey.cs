using System.Security.Cryptography;

namespace Coffer.Signing.Keys;

/// <summary>
/// A private key in cosign's encrypted file format (<c>cosign.key</c>, spec-notes §5): a PEM
/// block whose body is a JSON envelope holding scrypt settings, a NaCl secretbox nonce and the
/// sealed PKCS#8 key. Only ECDSA P-256 keys are supported for now.
/// </summary>
/// <remarks>
/// Loading runs these steps:
/// 1. check the size and find the PEM block with one of the two cosign labels;
/// 2. parse the JSON envelope and refuse unknown kdf/cipher names and scrypt settings;
/// 3. derive the key with scrypt and open the secretbox (a bad tag means a wrong password);
/// 4. require PKCS#8 and an ECDSA P-256 key, then import it.
/// </remarks>
public sealed class CosignPrivateKey : IDisposable
{
    /// <summary>The PEM label cosign writes today, and the one Coffer writes.</summary>
    public const string PemLabel = "ENCRYPTED SIGSTORE PRIVATE KEY";

    /// <summary>The PEM label of older cosign key files, still accepted.</summary>
    public const string LegacyPemLabel = "ENCRYPTED COSIGN PRIVATE KEY";

    private const string DefaultSource = "the private key";

    private const string LoadHint = "Pass the .key file written by cosign generate-key-pair "
        + "(a PEM 'ENCRYPTED SIGSTORE PRIVATE KEY' block), not the .pub file.";

    private const string PasswordHint = "Check the password. When COSIGN_PASSWORD is set, even to an "
        + "empty value, it is used instead of a prompt.";

    private static readonly string[] Labels = [PemLabel, LegacyPemLabel];

    private readonly ECDsa _key;

    private bool _disposed;

    private CosignPrivateKey(ECDsa key)
    {
        _key = key;
        PublicKey = PublicKeyFile.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The public half, as written to <c>cosign.pub</c>.</summary>
    public PublicKeyFile PublicKey { get; }

    /// <summary>Generates a new ECDSA P-256 key.</summary>
    public static CosignPrivateKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Decrypts a key from the text of a cosign key file.</summary>
    /// <param name="pemText">The PEM text.</param>
    /// <param name="password">The password; empty is allowed, as in cosign.</param>
    /// <exception cref="KeyFileException">
    /// The text is not a cosign key, is damaged, uses unsupported settings or algorithm, or the
    /// password is wrong (<see cref="KeyFileException.Problem"/> says which).
    /// </exception>
    public static CosignPrivateKey Load(string pemText, string password)
    {
        ArgumentNullException.ThrowIfNull(pemText);
        ArgumentNullException.ThrowIfNull(password);
        return Load(pemText, password, DefaultSource);
    }

    /// <summary>Reads and decrypts a cosign key file.</summary>
    /// <param name="path">The <c>.key</c> file.</param>
    /// <param name="password">The password; empty is allowed, as in cosign.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="KeyFileException">As for <see cref="Load(string, string)"/>, or unreadable.</exception>
    public static async Task<CosignPrivateKey> LoadFileAsync(
        string path,
        string password,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(password);

        string source = $"the key file {path}";
        string text = await KeyPem.ReadFileAsync(path, source, LoadHint, cancellationToken).ConfigureAwait(false);
        return Load(text, password, source);
    }

    /// <summary>
    /// Encrypts the key as cosign does today: PKCS#8, scrypt N=65536 r=8 p=1 with a random
    /// 32-byte salt, secretbox with a random 24-byte nonce, PEM label <see cref="PemLabel"/>.
    /// </summary>
    /// <param name="password">The password; empty is allowed, as in cosign.</param>
    /// <returns>The PEM text, ending with a line break.</returns>
    public string ToEncryptedPem(string password) => ToEncryptedPem(password, ScryptParameters.Standard);

    /// <summary>A signer over a copy of this key, with a lifetime of its own.</summary>
    public EcdsaSigner CreateSigner()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return EcdsaSigner.Create(_key);
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

    /// <summary>Encrypts with chosen scrypt settings; tests use the cheaper legacy ones.</summary>
    internal string ToEncryptedPem(string password, ScryptParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(password);
        ObjectDisposedException.ThrowIf(_disposed, this);

        byte[] pkcs8 = _key.ExportPkcs8PrivateKey();
        try
        {
            return Seal(pkcs8, password, parameters);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>Seals any bytes in a key file; tests use it to build refused files.</summary>
    internal static string Seal(ReadOnlySpan<byte> plaintext, string password, ScryptParameters parameters)
    {
        EncryptedKeyEnvelope envelope = KeyEncryption.Seal(plaintext, password, parameters);
        return KeyPem.Write(PemLabel, envelope.ToJson());
    }

    private static CosignPrivateKey Load(string pemText, string password, string source)
    {
        // Step 1: the PEM block.
        byte[] body = KeyPem.Decode(pemText, source, Labels, LoadHint);

        // Step 2: the envelope; unsupported names and scrypt settings are refused here.
        EncryptedKeyEnvelope envelope = EncryptedKeyEnvelope.Parse(body, source);

        // Step 3: derive and open.
        byte[]? plaintext = KeyEncryption.Open(envelope, password);
        if (plaintext is null)
        {
            throw new KeyFileException(
                KeyFileProblem.WrongPassword,
                $"Cannot decrypt {source}: wrong password or damaged key.",
                PasswordHint);
        }

        // Step 4: PKCS#8 ECDSA P-256 only.
        try
        {
            return new CosignPrivateKey(PrivateKeyDecoder.DecodeP256(plaintext, source));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
