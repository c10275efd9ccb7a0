using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Coffer.Signing.Keys;

/// <summary>
/// A public key as cosign writes it in <c>cosign.pub</c>: a PEM <c>PUBLIC KEY</c> block holding a
/// DER <c>SubjectPublicKeyInfo</c> (spec-notes §5). ECDSA P-256 and P-384 and RSA are accepted.
/// </summary>
public sealed class PublicKeyFile
{
    /// <summary>The PEM label of a public key.</summary>
    public const string PemLabel = "PUBLIC KEY";

    private const int MinRsaBits = 2048;

    private const int MaxRsaBits = 8192;

    private const string DefaultSource = "the public key";

    private const string LoadHint = "Pass the .pub file written by cosign generate-key-pair "
        + "(a PEM 'PUBLIC KEY' block with an ECDSA P-256/P-384 or RSA key).";

    private static readonly string[] Labels = [PemLabel];

    private readonly byte[] _spki;

    private PublicKeyFile(byte[] spki, PublicKeyAlgorithm algorithm)
    {
        _spki = spki;
        Algorithm = algorithm;
        Hint = Convert.ToBase64String(SHA256.HashData(spki));
    }

    /// <summary>The key algorithm (and so the hash that goes with it).</summary>
    public PublicKeyAlgorithm Algorithm { get; }

    /// <summary>The DER <c>SubjectPublicKeyInfo</c>.</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => _spki;

    /// <summary>
    /// The key hint cosign and sigstore-go put in a bundle's <c>publicKey.hint</c>:
    /// base64 of the SHA-256 of the DER <c>SubjectPublicKeyInfo</c> (spec-notes §1.2).
    /// </summary>
    public string Hint { get; }

    /// <summary>Loads a public key from PEM text.</summary>
    /// <param name="pemText">Text holding a PEM <c>PUBLIC KEY</c> block.</param>
    /// <exception cref="KeyFileException">Not such a block, damaged, or an unsupported key.</exception>
    public static PublicKeyFile Load(string pemText)
    {
        ArgumentNullException.ThrowIfNull(pemText);
        return Load(pemText, DefaultSource);
    }

    /// <summary>Loads a public key from a PEM file such as <c>cosign.pub</c>.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="KeyFileException">Unreadable, not a public key, or an unsupported key.</exception>
    public static async Task<PublicKeyFile> LoadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        string source = $"the public key file {path}";
        string text = await KeyPem.ReadFileAsync(path, source, LoadHint, cancellationToken).ConfigureAwait(false);
        return Load(text, source);
    }

    /// <summary>Wraps a DER <c>SubjectPublicKeyInfo</c>, checking it as <see cref="Load(string)"/> does.</summary>
    /// <param name="der">The DER bytes; they are copied.</param>
    /// <exception cref="KeyFileException">Damaged, or an unsupported key.</exception>
    public static PublicKeyFile FromSubjectPublicKeyInfo(ReadOnlySpan<byte> der) =>
        FromDer(der.ToArray(), DefaultSource);

    /// <summary>The key as a PEM <c>PUBLIC KEY</c> block with a final line break, as cosign writes it.</summary>
    public string ToPem() => KeyPem.Write(PemLabel, _spki);

    /// <summary>Creates the ECDSA key; the caller disposes it.</summary>
    /// <exception cref="InvalidOperationException">The key is not ECDSA.</exception>
    public ECDsa CreateECDsa()
    {
        if (Algorithm == PublicKeyAlgorithm.Rsa)
        {
            throw new InvalidOperationException("This is an RSA public key, not an ECDSA one.");
        }

        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(_spki, out _);
        return key;
    }

    /// <summary>Creates the RSA key; the caller disposes it.</summary>
    /// <exception cref="InvalidOperationException">The key is not RSA.</exception>
    public RSA CreateRsa()
    {
        if (Algorithm != PublicKeyAlgorithm.Rsa)
        {
            throw new InvalidOperationException("This is an ECDSA public key, not an RSA one.");
        }

        var key = RSA.Create();
        key.ImportSubjectPublicKeyInfo(_spki, out _);
        return key;
    }

    /// <summary>
    /// Checks a signature over <paramref name="data"/>: ECDSA signatures are ASN.1 DER
    /// (<c>SEQUENCE { r, s }</c>), hashed with SHA-256 (P-256) or SHA-384 (P-384); RSA signatures
    /// are PKCS#1 v1.5 with SHA-256, as cosign makes them.
    /// </summary>
    /// <returns>True when the signature is valid.</returns>
    public bool VerifyData(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (Algorithm == PublicKeyAlgorithm.Rsa)
        {
            using RSA rsa = CreateRsa();
            return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        HashAlgorithmName hash = Algorithm == PublicKeyAlgorithm.EcdsaP384
            ? HashAlgorithmName.SHA384
            : HashAlgorithmName.SHA256;
        using ECDsa ecdsa = CreateECDsa();
        return ecdsa.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    internal static PublicKeyFile Load(string pemText, string source)
    {
        byte[] der = KeyPem.Decode(pemText, source, Labels, LoadHint);
        return FromDer(der, source);
    }

    private static PublicKeyFile FromDer(byte[] der, string source)
    {
        PublicKey key;
        try
        {
            key = PublicKey.CreateFromSubjectPublicKeyInfo(der, out int read);
            if (read != der.Length)
            {
                throw Damaged(source);
            }
        }
        catch (CryptographicException)
        {
            throw Damaged(source);
        }

        PublicKeyAlgorithm algorithm = Classify(key, source);
        return new PublicKeyFile(der, algorithm);
    }

    private static PublicKeyAlgorithm Classify(PublicKey key, string source)
    {
        string? oid = key.Oid.Value;
        if (oid == KeyOids.EcPublicKey)
        {
            string? curve = ReadCurve(key.EncodedParameters?.RawData);
            PublicKeyAlgorithm? known = curve switch
            {
                KeyOids.P256 => PublicKeyAlgorithm.EcdsaP256,
                KeyOids.P384 => PublicKeyAlgorithm.EcdsaP384,
                _ => null,
            };
            if (known is null)
            {
                throw Unsupported(source, $"an ECDSA key on {KeyOids.Describe(curve)}");
            }

            // Import once, so a point off the curve is refused now rather than at verification.
            using ECDsa? ecdsa = Import(() => key.GetECDsaPublicKey(), source);
            return known.Value;
        }

        if (oid == KeyOids.Rsa)
        {
            using RSA? rsa = Import(() => key.GetRSAPublicKey(), source);
            if (rsa is null || rsa.KeySize is < MinRsaBits or > MaxRsaBits)
            {
                throw Unsupported(source, $"an RSA key of {rsa?.KeySize} bits (2048 to 8192 are accepted)");
            }

            return PublicKeyAlgorithm.Rsa;
        }

        throw Unsupported(source, $"an {KeyOids.Describe(oid)} key");
    }

    private static T? Import<T>(Func<T?> import, string source)
    {
        try
        {
            return import();
        }
        catch (CryptographicException)
        {
            throw Damaged(source);
        }
    }

    private static string? ReadCurve(byte[]? parameters)
    {
        if (parameters is null)
        {
            return null;
        }

        try
        {
            return AsnDecoder.ReadObjectIdentifier(parameters, AsnEncodingRules.DER, out int read) is var oid
                && read == parameters.Length ? oid : null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static KeyFileException Damaged(string source) => new(
        KeyFileProblem.Malformed,
        $"{KeyPem.Capitalize(source)} is not a valid DER SubjectPublicKeyInfo.",
        LoadHint);

    private static KeyFileException Unsupported(string source, string what) => new(
        KeyFileProblem.UnsupportedAlgorithm,
        $"{KeyPem.Capitalize(source)} holds {what}, which Coffer does not support.",
        "Coffer verifies with ECDSA P-256, ECDSA P-384 or RSA public keys.");
}
