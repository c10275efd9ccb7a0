using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Coffer.Signing.Bundles;
using Coffer.Signing.Trust;

namespace Coffer.Testing.Sigstore;

/// <summary>
/// A test RFC 3161 timestamp authority: a self-signed root and a timeStamping leaf, answering
/// with a DER TimeStampResp built by hand around a <see cref="SignedCms"/> token.
/// </summary>
public sealed class TestTimestampAuthority : IDisposable
{
    private const string TstInfoOid = "1.2.840.113549.1.9.16.1.4";

    private const string SigningCertificateV2Oid = "1.2.840.113549.1.9.16.2.47";

    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private readonly ECDsa _leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private long _serial;

    /// <summary>
    /// Creates the TSA, its certificates valid from <paramref name="notBefore"/> for
    /// <paramref name="lifetime"/>.
    /// </summary>
    public TestTimestampAuthority(DateTimeOffset notBefore, TimeSpan lifetime, string name = "coffer-test-tsa",
        bool timeStampingEku = true)
    {
        var rootRequest = new CertificateRequest($"CN={name}-root, O=coffer.test", _rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Root = rootRequest.CreateSelfSigned(notBefore, notBefore + lifetime);

        var leafRequest = new CertificateRequest($"CN={name}, O=coffer.test", _leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        if (timeStampingEku)
        {
            leafRequest.CertificateExtensions.Add(
                new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], true));
        }

        using var leaf = leafRequest.Create(Root.SubjectName, X509SignatureGenerator.CreateForECDsa(_rootKey),
            notBefore, notBefore + lifetime, [7]);
        Leaf = leaf.CopyWithPrivateKey(_leafKey);
        Name = name;
        ValidFor = new ValidityPeriod { Start = notBefore };
    }

    /// <summary>The TSA name, used as its URI in the trusted root.</summary>
    public string Name { get; }

    /// <summary>The self-signed TSA root.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The signing certificate (with its private key).</summary>
    public X509Certificate2 Leaf { get; }

    /// <summary>The validity window written into the trusted root.</summary>
    public ValidityPeriod ValidFor { get; set; }

    /// <summary>The TSA's trusted-root entry: [leaf, root].</summary>
    public CertificateAuthority ToTrustedAuthority() => new()
    {
        Subject = new DistinguishedName { Organization = "coffer.test", CommonName = Name },
        Uri = $"https://{Name}.coffer.test/api/v1/timestamp",
        CertChain = new CertificateChain
        {
            Certificates =
            [
                new RawCertificate { RawBytes = Leaf.RawData },
                new RawCertificate { RawBytes = Root.RawData },
            ],
        },
        ValidFor = ValidFor,
    };

    /// <summary>
    /// A DER TimeStampResp (status granted) whose messageImprint is SHA-256 of <paramref name="data"/>.
    /// </summary>
    public byte[] Timestamp(byte[] data, DateTimeOffset genTime, bool embedCertificate = true)
    {
        var token = TimestampToken(SHA256.HashData(data), genTime, embedCertificate);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger(0);
            }

            writer.WriteEncodedValue(token);
        }

        return writer.Encode();
    }

    /// <summary>A bare TimeStampToken (CMS ContentInfo) over a SHA-256 message imprint.</summary>
    public byte[] TimestampToken(byte[] sha256Imprint, DateTimeOffset genTime, bool embedCertificate = true)
    {
        ArgumentNullException.ThrowIfNull(sha256Imprint);
        var info = new AsnWriter(AsnEncodingRules.DER);
        using (info.PushSequence())
        {
            info.WriteInteger(1);
            info.WriteObjectIdentifier("1.3.6.1.4.1.57264.2");
            using (info.PushSequence())
            {
                using (info.PushSequence())
                {
                    info.WriteObjectIdentifier("2.16.840.1.101.3.4.2.1");
                }

                info.WriteOctetString(sha256Imprint);
            }

            info.WriteInteger(new BigInteger(Interlocked.Increment(ref _serial)));
            info.WriteGeneralizedTime(genTime, omitFractionalSeconds: true);
        }

        var cms = new SignedCms(new ContentInfo(new Oid(TstInfoOid), info.Encode()), detached: false);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, Leaf)
        {
            IncludeOption = embedCertificate ? X509IncludeOption.EndCertOnly : X509IncludeOption.None,
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),
        };
        signer.SignedAttributes.Add(new AsnEncodedData(SigningCertificateV2Oid, SigningCertificateV2(Leaf)));
        cms.ComputeSignature(signer);
        return cms.Encode();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Root.Dispose();
        Leaf.Dispose();
        _rootKey.Dispose();
        _leafKey.Dispose();
    }

    private static byte[] SigningCertificateV2(X509Certificate2 certificate)
    {
        // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } with the default SHA-256.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteOctetString(SHA256.HashData(certificate.RawData));
        }

        return writer.Encode();
    }
}
