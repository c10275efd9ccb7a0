using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Coffer.Signing.Verification;

/// <summary>
/// Checks signatures with one public key given as SPKI DER: ECDSA (P-256, P-384, P-521, DER
/// signatures), RSA PKCS#1 v1.5 and Ed25519 (pure).
/// </summary>
internal sealed class PublicKeyVerifier : IDisposable
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    private const string Ed25519Oid = "1.3.101.112";

    private readonly ECDsa? _ecdsa;

    private readonly RSA? _rsa;

    private readonly byte[]? _ed25519;

    private PublicKeyVerifier(byte[] spki, ECDsa? ecdsa, RSA? rsa, byte[]? ed25519, string algorithm)
    {
        Spki = spki;
        _ecdsa = ecdsa;
        _rsa = rsa;
        _ed25519 = ed25519;
        Algorithm = algorithm;
        HashAlgorithm = ecdsa?.KeySize switch
        {
            384 => HashAlgorithmName.SHA384,
            521 => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        };
    }

    /// <summary>The SPKI DER of the key.</summary>
    public byte[] Spki { get; }

    /// <summary>A short algorithm name for messages, such as <c>ECDSA P-256</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The hash an ECDSA or RSA signature of this key is made over.</summary>
    public HashAlgorithmName HashAlgorithm { get; }

    /// <summary>Whether the key is Ed25519, which signs messages, never digests.</summary>
    public bool IsEd25519 => _ed25519 is not null;

    /// <summary>The raw 32-byte Ed25519 key, or null.</summary>
    public byte[]? Ed25519Key => _ed25519;

    /// <summary>Reads a SubjectPublicKeyInfo.</summary>
    /// <exception cref="CryptographicException">The key is malformed or of an unsupported type or curve.</exception>
    public static PublicKeyVerifier FromSpki(byte[] spki)
    {
        ArgumentNullException.ThrowIfNull(spki);
        string oid;
        byte[] keyBits;
        try
        {
            var reader = new AsnReader(spki, AsnEncodingRules.DER);
            var info = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var algorithm = info.ReadSequence();
            oid = algorithm.ReadObjectIdentifier();
            keyBits = info.ReadBitString(out _);
            info.ThrowIfNotEmpty();
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("the public key is not a DER SubjectPublicKeyInfo", e);
        }

        switch (oid)
        {
            case EcPublicKeyOid:
                var ecdsa = ECDsa.Create();
                try
                {
                    ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
                }
                catch (NotSupportedException e)
                {
                    // A named curve the platform does not know is a PlatformNotSupportedException.
                    ecdsa.Dispose();
                    throw new CryptographicException($"the public key's curve is not supported ({e.Message})", e);
                }
                catch
                {
                    ecdsa.Dispose();
                    throw;
                }

                return new PublicKeyVerifier(spki, ecdsa, null, null, $"ECDSA P-{ecdsa.KeySize}");
            case RsaEncryptionOid:
                var rsa = RSA.Create();
                try
                {
                    rsa.ImportSubjectPublicKeyInfo(spki, out _);
                }
                catch
                {
                    rsa.Dispose();
                    throw;
                }

                return new PublicKeyVerifier(spki, null, rsa, null, $"RSA {rsa.KeySize}");
            case Ed25519Oid when keyBits.Length == Ed25519.PublicKeySize:
                return new PublicKeyVerifier(spki, null, null, keyBits, "Ed25519");
            default:
                throw new CryptographicException($"public key algorithm {oid} is not supported");
        }
    }

    /// <summary>Reads the key of a certificate.</summary>
    public static PublicKeyVerifier FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return FromSpki(certificate.PublicKey.ExportSubjectPublicKeyInfo());
    }

    /// <summary>Checks a signature over a message (hashed with <see cref="HashAlgorithm"/> unless Ed25519).</summary>
    public bool VerifyData(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        try
        {
            if (_ecdsa is not null)
            {
                return _ecdsa.VerifyData(data, signature, HashAlgorithm, DSASignatureFormat.Rfc3279DerSequence);
            }

            if (_rsa is not null)
            {
                return _rsa.VerifyData(data, signature, HashAlgorithm, RSASignaturePadding.Pkcs1);
            }

            return signature.Length == Ed25519.SignatureSize
                && Ed25519.Verify(signature.ToArray(), 0, _ed25519, 0, data.ToArray(), 0, data.Length);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Checks a signature over a precomputed digest. Ed25519 cannot do this.</summary>
    public bool VerifyDigest(ReadOnlySpan<byte> digest, HashAlgorithmName hash, ReadOnlySpan<byte> signature)
    {
        try
        {
            if (_ecdsa is not null)
            {
                return _ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
            }

            if (_rsa is not null)
            {
                return _rsa.VerifyHash(digest, signature, hash, RSASignaturePadding.Pkcs1);
            }

            return false;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Checks an Ed25519ph signature over the SHA-512 digest of the message.</summary>
    public bool VerifyEd25519Prehash(ReadOnlySpan<byte> sha512, ReadOnlySpan<byte> signature)
    {
        if (_ed25519 is null || sha512.Length != 64 || signature.Length != Ed25519.SignatureSize)
        {
            return false;
        }

        return Ed25519.VerifyPrehash(signature.ToArray(), 0, _ed25519, 0, [], sha512.ToArray(), 0);
    }

    /// <summary>Whether this key has the same SPKI as another.</summary>
    public bool SameKeyAs(ReadOnlySpan<byte> otherSpki) => Spki.AsSpan().SequenceEqual(otherSpki);

    /// <inheritdoc />
    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }
}
