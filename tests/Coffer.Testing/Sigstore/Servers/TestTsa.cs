using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Coffer.Testing.Sigstore.Internal;
using Microsoft.AspNetCore.Http;

namespace Coffer.Testing.Sigstore.Servers;

/// <summary>
/// An RFC 3161 time-stamp authority on 127.0.0.1.
/// <list type="number">
/// <item>Step 1: <c>POST /api/v1/timestamp</c> with <c>Content-Type: application/timestamp-query</c>
/// and a DER TimeStampReq.</item>
/// <item>Step 2: the answer is a DER TimeStampResp (<c>application/timestamp-reply</c>) whose token
/// is signed by a TSA leaf (critical EKU timeStamping) issued by a test root → intermediate; the
/// leaf is embedded when the request sets <c>certReq</c>.</item>
/// </list>
/// <c>GET /api/v1/timestamp/certchain</c> returns the PEM chain.
/// </summary>
public sealed class TestTsa : IAsyncDisposable
{
    private const string TstInfoOid = "1.2.840.113549.1.9.16.1.4";
    private const string SigningCertificateV2Oid = "1.2.840.113549.1.9.16.2.47";
    private const string PolicyOid = "1.3.6.1.4.1.57264.2";

    private readonly ServerHost _host;
    private readonly TestCertificateAuthority _authority;
    private long _serial;

    private TestTsa(ServerHost host, TestCertificateAuthority authority, X509Certificate2 signer)
    {
        _host = host;
        _authority = authority;
        Signer = signer;
    }

    /// <summary>The endpoint, <c>http://127.0.0.1:PORT/api/v1/timestamp</c> (signing config <c>tsaUrls</c>).</summary>
    public string Url => _host.Url + "/api/v1/timestamp";

    /// <summary>The TSA signing certificate, with its private key.</summary>
    public X509Certificate2 Signer { get; }

    /// <summary>The intermediate that issued <see cref="Signer"/>.</summary>
    public X509Certificate2 Intermediate => _authority.Intermediate;

    /// <summary>The root of the TSA chain.</summary>
    public X509Certificate2 Root => _authority.Root;

    /// <summary>When the TSA became valid, the trusted-root <c>validFor.start</c>.</summary>
    public DateTimeOffset NotBefore => _authority.NotBefore;

    /// <summary>Every request received, oldest first.</summary>
    public IReadOnlyList<ServerRequest> Requests => _host.Requests;

    /// <summary>Starts the TSA on a free 127.0.0.1 port.</summary>
    public static async Task<TestTsa> StartAsync(CancellationToken cancellationToken = default)
    {
        var authority = TestCertificateAuthority.Create("coffer-test tsa");
        var signer = CreateSigner(authority);
        TestTsa? tsa = null;
        var host = await ServerHost.StartAsync(context => tsa!.HandleAsync(context), cancellationToken);
        tsa = new TestTsa(host, authority, signer);
        return tsa;
    }

    /// <summary>Makes the next <paramref name="count"/> requests fail with <paramref name="status"/>.</summary>
    public void FailNext(int count, int status) => _host.Faults.FailNext(count, status);

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Signer.Dispose();
        _authority.Dispose();
    }

    private static X509Certificate2 CreateSigner(TestCertificateAuthority authority)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("O=coffer-test, CN=coffer-test tsa leaf", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.8") }, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority.Intermediate, true, false));
        using var certificate = request.Create(
            authority.Intermediate, authority.NotBefore, authority.NotBefore.AddDays(20),
            TestCertificateAuthority.RandomSerial());
        return certificate.CopyWithPrivateKey(key);
    }

    private static byte[] Failure(int status, string text)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger(status);
                using (writer.PushSequence())
                {
                    writer.WriteCharacterString(UniversalTagNumber.UTF8String, text);
                }
            }
        }

        return writer.Encode();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path == "/api/v1/timestamp" && HttpMethods.IsPost(context.Request.Method))
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            context.Response.ContentType = "application/timestamp-reply";
            var reply = Rfc3161TimestampRequest.TryDecode(buffer.ToArray(), out var request, out _)
                ? Respond(request)
                : Failure(2, "the body is not a DER TimeStampReq");
            context.Response.StatusCode = 200;
            await context.Response.Body.WriteAsync(reply);
        }
        else if (path == "/api/v1/timestamp/certchain")
        {
            context.Response.ContentType = "application/pem-certificate-chain";
            await context.Response.WriteAsync(
                Signer.ExportCertificatePem() + "\n" + Intermediate.ExportCertificatePem() + "\n"
                + Root.ExportCertificatePem() + "\n");
        }
        else
        {
            await Json.WriteErrorAsync(context, 404, "not found");
        }
    }

    private byte[] Respond(Rfc3161TimestampRequest? request)
    {
        if (request is null)
        {
            return Failure(2, "the body is not a DER TimeStampReq");
        }

        var serial = Interlocked.Increment(ref _serial);
        var tstInfo = TstInfo(request, serial, DateTimeOffset.UtcNow);

        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, Signer)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),
            IncludeOption = request.RequestSignerCertificate ? X509IncludeOption.EndCertOnly : X509IncludeOption.None,
        };

        // RFC 5816: the ESS signing-certificate-v2 attribute binds the TSA certificate.
        signer.SignedAttributes.Add(new AsnEncodedData(SigningCertificateV2Oid, SigningCertificateV2()));

        var cms = new SignedCms(new ContentInfo(new Oid(TstInfoOid), tstInfo), detached: false);
        cms.ComputeSignature(signer, silent: true);
        var token = cms.Encode();

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

    private static byte[] TstInfo(Rfc3161TimestampRequest request, long serial, DateTimeOffset time)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            writer.WriteObjectIdentifier(request.RequestedPolicyId?.Value ?? PolicyOid);
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(request.HashAlgorithmId.Value!);
                }

                writer.WriteOctetString(request.GetMessageHash().Span);
            }

            writer.WriteInteger(new BigInteger(serial));
            writer.WriteGeneralizedTime(time, omitFractionalSeconds: false);
            if (request.GetNonce() is { } nonce)
            {
                writer.WriteInteger(nonce.Span);
            }
        }

        return writer.Encode();
    }

    private byte[] SigningCertificateV2()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                // ESSCertIDv2 with the default hash algorithm (SHA-256) left out.
                using (writer.PushSequence())
                {
                    writer.WriteOctetString(SHA256.HashData(Signer.RawData));
                }
            }
        }

        return writer.Encode();
    }
}
