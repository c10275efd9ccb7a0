using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coffer.Signing.Verification;

namespace Coffer.Tests.Signing.Verification;

/// <summary>The identity names read out of a signing certificate's subject alternative names.</summary>
public sealed class FulcioCertificateTests
{
    [Fact]
    public void SubjectAlternativeNames_ReadsEmailUriAndAddresses()
    {
        using var certificate = WithNames(writer =>
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, "ci@example.com",
                new Asn1Tag(TagClass.ContextSpecific, 1));
            writer.WriteCharacterString(UniversalTagNumber.IA5String, "https://example.com/workflow",
                new Asn1Tag(TagClass.ContextSpecific, 6));
            writer.WriteOctetString([127, 0, 0, 1], new Asn1Tag(TagClass.ContextSpecific, 7));
        });

        var names = FulcioCertificate.SubjectAlternativeNames(certificate);

        Assert.Equal(["ci@example.com", "https://example.com/workflow", "127.0.0.1"], names);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(17)]
    public void SubjectAlternativeNames_AnAddressOfTheWrongLength_IsMalformedContent(int length)
    {
        using var certificate = WithNames(writer =>
            writer.WriteOctetString(new byte[length], new Asn1Tag(TagClass.ContextSpecific, 7)));

        // The verifier turns AsnContentException into "the certificate's identity is malformed".
        var error = Assert.Throws<AsnContentException>(() => FulcioCertificate.SubjectAlternativeNames(certificate));
        Assert.Contains($"{length} bytes", error.Message, StringComparison.Ordinal);
    }

    private static X509Certificate2 WithNames(Action<AsnWriter> names)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            names(writer);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", writer.Encode(), critical: true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(10));
    }
}
