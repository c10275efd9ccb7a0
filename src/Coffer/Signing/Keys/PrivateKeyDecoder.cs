using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Coffer.Signing.Keys;

/// <summary>
/// Turns decrypted key bytes into an ECDSA key. They must be PKCS#8 (RFC 5208
/// <c>PrivateKeyInfo</c>), as cosign requires; the algorithm is looked at before the key is
/// imported so each refusal can say exactly what the file holds.
/// </summary>
internal static class PrivateKeyDecoder
{
    private const string NewKeyHint = "Make a new key pair with cosign generate-key-pair (ECDSA P-256).";

    /// <summary>Imports a PKCS#8 ECDSA P-256 private key.</summary>
    /// <exception cref="KeyFileException">Not PKCS#8, another algorithm or curve, or damaged.</exception>
    public static ECDsa DecodeP256(byte[] der, string source)
    {
        string algorithm;
        string? curve;
        try
        {
            (algorithm, curve) = ReadAlgorithm(der, source);
        }
        catch (AsnContentException)
        {
            throw Damaged(source);
        }

        if (algorithm != KeyOids.EcPublicKey || curve != KeyOids.P256)
        {
            string what = algorithm == KeyOids.EcPublicKey
                ? $"an ECDSA key on {KeyOids.Describe(curve)}"
                : $"an {KeyOids.Describe(algorithm)} key";
            throw new KeyFileException(
                KeyFileProblem.UnsupportedAlgorithm,
                $"{KeyPem.Capitalize(source)} holds {what}; Coffer supports only ECDSA P-256 private keys for now.",
                NewKeyHint);
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(der, out int read);
            if (read != der.Length)
            {
                throw Damaged(source);
            }

            return key;
        }
        catch (CryptographicException)
        {
            key.Dispose();
            throw Damaged(source);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Reads the algorithm and curve identifiers of a PKCS#8 <c>PrivateKeyInfo</c>.</summary>
    private static (string Algorithm, string? Curve) ReadAlgorithm(byte[] der, string source)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        AsnReader info = outer.ReadSequence();
        if (outer.HasData)
        {
            throw Damaged(source);
        }

        // PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier, ... }
        // ECPrivateKey (SEC1) ::= SEQUENCE { version INTEGER (1), privateKey OCTET STRING, ... }
        info.ReadInteger();
        Asn1Tag next = info.PeekTag();
        if (!next.HasSameClassAndValue(Asn1Tag.Sequence))
        {
            string kind = next.HasSameClassAndValue(Asn1Tag.PrimitiveOctetString)
                ? "a SEC1 'EC PRIVATE KEY'"
                : "a key that is not PKCS#8";
            throw new KeyFileException(
                KeyFileProblem.NotPkcs8,
                $"{KeyPem.Capitalize(source)} holds {kind}; cosign and Coffer need a PKCS#8 private key inside.",
                "Convert the key to PKCS#8 (openssl pkcs8 -topk8) and import it with cosign "
                + "import-key-pair, or make a new key pair.");
        }

        AsnReader algorithm = info.ReadSequence();
        string oid = algorithm.ReadObjectIdentifier();
        string? curve = null;
        if (algorithm.HasData && algorithm.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
        {
            curve = algorithm.ReadObjectIdentifier();
        }

        return (oid, curve);
    }

    private static KeyFileException Damaged(string source) => new(
        KeyFileProblem.Malformed,
        $"{KeyPem.Capitalize(source)} decrypted, but the key inside is not valid DER.",
        "Use the .key file exactly as cosign generate-key-pair wrote it.");
}
