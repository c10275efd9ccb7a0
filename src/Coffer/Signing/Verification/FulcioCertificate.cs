using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Coffer.Signing.Verification;

/// <summary>Reads the signer identity and OIDC issuer of a Fulcio certificate (spec-notes §3.8).</summary>
internal static class FulcioCertificate
{
    /// <summary>Issuer v1: raw bytes, deprecated.</summary>
    public const string IssuerV1Oid = "1.3.6.1.4.1.57264.1.1";

    /// <summary>The otherName type id for a username SAN.</summary>
    public const string OtherNameOid = "1.3.6.1.4.1.57264.1.7";

    /// <summary>Issuer v2: a DER UTF8String.</summary>
    public const string IssuerV2Oid = "1.3.6.1.4.1.57264.1.8";

    private const string SubjectAltNameOid = "2.5.29.17";

    private const string CodeSigningOid = "1.3.6.1.5.5.7.3.3";

    /// <summary>The SAN values: email, URI, DNS name, IP address and the Fulcio otherName.</summary>
    public static List<string> SubjectAlternativeNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        var extension = certificate.Extensions[SubjectAltNameOid];
        if (extension is null)
        {
            return names;
        }

        var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
        while (reader.HasData)
        {
            var tag = reader.PeekTag();
            if (tag.TagClass != TagClass.ContextSpecific)
            {
                reader.ReadEncodedValue();
                continue;
            }

            switch (tag.TagValue)
            {
                case 0:
                    // otherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY }
                    var other = reader.ReadSequence(tag);
                    var typeId = other.ReadObjectIdentifier();
                    var value = other.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true));
                    if (typeId == OtherNameOid)
                    {
                        names.Add(value.ReadCharacterString(UniversalTagNumber.UTF8String));
                    }

                    break;
                case 1 or 2 or 6:
                    // rfc822Name, dNSName and URI are IA5Strings with an implicit tag.
                    names.Add(reader.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                    break;
                case 7:
                    // An iPAddress is 4 bytes (IPv4) or 16 (IPv6); anything else is no address at all.
                    var address = reader.ReadOctetString(tag);
                    if (address.Length is not (4 or 16))
                    {
                        throw new AsnContentException(
                            $"an iPAddress name of {address.Length} bytes is neither IPv4 nor IPv6");
                    }

                    names.Add(new System.Net.IPAddress(address).ToString());
                    break;
                default:
                    reader.ReadEncodedValue();
                    break;
            }
        }

        return names;
    }

    /// <summary>The OIDC issuer: extension .8 (UTF8String), else the deprecated raw .1.</summary>
    public static string? Issuer(X509Certificate2 certificate)
    {
        if (certificate.Extensions[IssuerV2Oid] is { } v2)
        {
            return AsnDecoder.ReadCharacterString(
                v2.RawData, AsnEncodingRules.DER, UniversalTagNumber.UTF8String, out _);
        }

        return certificate.Extensions[IssuerV1Oid] is { } v1
            ? new UTF8Encoding(false, true).GetString(v1.RawData)
            : null;
    }

    /// <summary>
    /// Checks the Fulcio leaf profile (§3.2 step 2): digitalSignature, codeSigning, not a CA, and
    /// a SAN. Returns a failure reason, or null.
    /// </summary>
    public static string? CheckLeafProfile(X509Certificate2 certificate)
    {
        try
        {
            var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
            if (usage is null || !usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
            {
                return "the leaf certificate lacks the digitalSignature key usage";
            }

            var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
            if (eku is null || !eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == CodeSigningOid))
            {
                return "the leaf certificate lacks the codeSigning extended key usage";
            }

            if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
            {
                return "the leaf certificate is a CA certificate";
            }

            return certificate.Extensions[SubjectAltNameOid] is null
                ? "the leaf certificate has no subject alternative name"
                : null;
        }
        catch (CryptographicException e)
        {
            return $"the leaf certificate has a malformed extension ({e.Message})";
        }
    }
}
