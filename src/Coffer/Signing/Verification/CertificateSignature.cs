using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Coffer.Signing.Verification;

/// <summary>Checks that one certificate's signature was made by another certificate's key.</summary>
internal static class CertificateSignature
{
    /// <summary>
    /// Whether <paramref name="issuer"/>'s key signed <paramref name="child"/> (ECDSA or RSA PKCS#1).
    /// </summary>
    public static bool IsSignedBy(X509Certificate2 child, X509Certificate2 issuer)
    {
        try
        {
            var certificate = new AsnReader(child.RawData, AsnEncodingRules.DER).ReadSequence();
            var tbs = certificate.ReadEncodedValue();
            var algorithm = certificate.ReadSequence().ReadObjectIdentifier();
            var signature = certificate.ReadBitString(out _);
            HashAlgorithmName? hash = algorithm switch
            {
                "1.2.840.10045.4.3.2" or "1.2.840.113549.1.1.11" => HashAlgorithmName.SHA256,
                "1.2.840.10045.4.3.3" or "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
                "1.2.840.10045.4.3.4" or "1.2.840.113549.1.1.13" => HashAlgorithmName.SHA512,
                _ => null,
            };
            if (hash is null)
            {
                return false;
            }

            if (issuer.GetECDsaPublicKey() is { } ecdsa)
            {
                using (ecdsa)
                {
                    return ecdsa.VerifyData(tbs.Span, signature, hash.Value, DSASignatureFormat.Rfc3279DerSequence);
                }
            }

            if (issuer.GetRSAPublicKey() is { } rsa)
            {
                using (rsa)
                {
                    return rsa.VerifyData(tbs.Span, signature, hash.Value, RSASignaturePadding.Pkcs1);
                }
            }

            return false;
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return false;
        }
    }
}
