using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Coffer.Signing.Bundles;
using Coffer.Signing.Trust;

namespace Coffer.Testing.Sigstore;

/// <summary>
/// A test Fulcio: a self-signed root and an intermediate (ECDSA P-384) that issue short-lived
/// code-signing leaves with Fulcio's SAN and issuer extensions and an embedded SCT.
/// </summary>
public sealed class TestFulcio : IDisposable
{
    /// <summary>The Fulcio issuer (v1, raw) extension OID.</summary>
    public const string IssuerV1Oid = "1.3.6.1.4.1.57264.1.1";

    /// <summary>The Fulcio issuer (v2, UTF8String) extension OID.</summary>
    public const string IssuerV2Oid = "1.3.6.1.4.1.57264.1.8";

    /// <summary>The Fulcio username otherName OID.</summary>
    public const string OtherNameOid = "1.3.6.1.4.1.57264.1.7";

    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);

    private readonly ECDsa _intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);

    private long _serial = 1000;

    /// <summary>Creates the CA, valid from <paramref name="notBefore"/> for <paramref name="lifetime"/>.</summary>
    public TestFulcio(DateTimeOffset notBefore, TimeSpan lifetime, string name = "coffer-test-fulcio")
    {
        var rootRequest = new CertificateRequest($"CN={name}-root, O=coffer.test", _rootKey, HashAlgorithmName.SHA384);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        Root = rootRequest.CreateSelfSigned(notBefore, notBefore + lifetime);

        var intermediateRequest = new CertificateRequest(
            $"CN={name}-intermediate, O=coffer.test", _intermediateKey, HashAlgorithmName.SHA384);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intermediateRequest.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        intermediateRequest.CertificateExtensions.Add(
            new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3")], false));
        intermediateRequest.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(intermediateRequest.PublicKey, false));
        intermediateRequest.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        Intermediate = intermediateRequest.Create(
            Root.SubjectName, X509SignatureGenerator.CreateForECDsa(_rootKey), notBefore, notBefore + lifetime, [1]);
        ValidFor = new ValidityPeriod { Start = notBefore };
    }

    /// <summary>The self-signed root (the trust anchor).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The intermediate that signs leaves.</summary>
    public X509Certificate2 Intermediate { get; }

    /// <summary>The validity window written into the trusted root.</summary>
    public ValidityPeriod ValidFor { get; set; }

    /// <summary>The CA's trusted-root entry: [intermediate, root].</summary>
    public CertificateAuthority ToTrustedAuthority() => new()
    {
        Subject = new DistinguishedName { Organization = "coffer.test", CommonName = "coffer-test-fulcio" },
        Uri = "https://fulcio.coffer.test",
        CertChain = new CertificateChain
        {
            Certificates =
            [
                new RawCertificate { RawBytes = Intermediate.RawData },
                new RawCertificate { RawBytes = Root.RawData },
            ],
        },
        ValidFor = ValidFor,
    };

    /// <summary>
    /// Issues a leaf for <paramref name="subjectKey"/>. With <paramref name="ctLog"/>, the leaf
    /// embeds an SCT signed over its precertificate TBS.
    /// </summary>
    public X509Certificate2 IssueLeaf(ECDsa subjectKey, DateTimeOffset signingTime, LeafOptions options,
        TestCtLog? ctLog)
    {
        ArgumentNullException.ThrowIfNull(subjectKey);
        ArgumentNullException.ThrowIfNull(options);
        var notBefore = options.NotBefore ?? signingTime.AddMinutes(-1);
        var notAfter = options.NotAfter ?? notBefore.AddMinutes(10);
        var serial = new BigInteger(Interlocked.Increment(ref _serial))
            .ToByteArray(isUnsigned: true, isBigEndian: true);

        var request = new CertificateRequest(new X500DistinguishedName(""), subjectKey, HashAlgorithmName.SHA384);
        foreach (var extension in LeafExtensions(options))
        {
            request.CertificateExtensions.Add(extension);
        }

        var generator = X509SignatureGenerator.CreateForECDsa(_intermediateKey);
        if (!options.EmbedSct || ctLog is null)
        {
            return request.Create(Intermediate.SubjectName, generator, notBefore, notAfter, serial);
        }

        // The precertificate TBS is the final TBS without the SCT list: issue once without it, sign
        // the SCT over that TBS, then issue again with the SCT list appended.
        using var precertificate = request.Create(Intermediate.SubjectName, generator, notBefore, notAfter, serial);
        var tbs = TbsOf(precertificate.RawData);
        var issuerKeyHash = SHA256.HashData(Intermediate.PublicKey.ExportSubjectPublicKeyInfo());
        byte[] sct;
        if (options.SctFromUnknownLog)
        {
            using var stranger = new TestCtLog(notBefore.AddYears(-1));
            sct = stranger.CreateSct(tbs, issuerKeyHash, notBefore, options.SctExtensions);
        }
        else
        {
            sct = ctLog.CreateSct(tbs, issuerKeyHash, notBefore, options.SctExtensions);
        }

        if (options.EditSct is not null)
        {
            sct = options.EditSct(sct);
        }

        request.CertificateExtensions.Add(TestCtLog.SctListExtension([sct]));
        return request.Create(Intermediate.SubjectName, generator, notBefore, notAfter, serial);
    }

    /// <summary>Issues a certificate whose issuer is the intermediate but which is itself a CA.</summary>
    public X509Certificate2 IssueSubordinateCa(ECDsa key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest("CN=rogue, O=coffer.test", key, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.Create(Intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(_intermediateKey),
            notBefore, notAfter, [0x42]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Root.Dispose();
        Intermediate.Dispose();
        _rootKey.Dispose();
        _intermediateKey.Dispose();
    }

    /// <summary>The DER SubjectAltName value for the given names.</summary>
    public static byte[] SubjectAltName(string? uri, string? email, string? otherName)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            if (email is not null)
            {
                writer.WriteCharacterString(
                    UniversalTagNumber.IA5String, email, new Asn1Tag(TagClass.ContextSpecific, 1));
            }

            if (uri is not null)
            {
                writer.WriteCharacterString(
                    UniversalTagNumber.IA5String, uri, new Asn1Tag(TagClass.ContextSpecific, 6));
            }

            if (otherName is not null)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                {
                    writer.WriteObjectIdentifier(OtherNameOid);
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                    {
                        writer.WriteCharacterString(UniversalTagNumber.UTF8String, otherName);
                    }
                }
            }
        }

        return writer.Encode();
    }

    private static IEnumerable<X509Extension> LeafExtensions(LeafOptions options)
    {
        yield return new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true);
        if (options.CodeSigning)
        {
            yield return new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3")], false);
        }

        if (options.UriSan is not null || options.EmailSan is not null || options.OtherNameSan is not null)
        {
            yield return new X509Extension(
                "2.5.29.17", SubjectAltName(options.UriSan, options.EmailSan, options.OtherNameSan), true);
        }

        if (options.IssuerV1 is not null)
        {
            yield return new X509Extension(IssuerV1Oid, Encoding.UTF8.GetBytes(options.IssuerV1), false);
        }

        if (options.Issuer is not null)
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            writer.WriteCharacterString(UniversalTagNumber.UTF8String, options.Issuer);
            yield return new X509Extension(IssuerV2Oid, writer.Encode(), false);
        }
    }

    private static byte[] TbsOf(byte[] certificate)
    {
        var reader = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence();
        return reader.ReadEncodedValue().ToArray();
    }
}
