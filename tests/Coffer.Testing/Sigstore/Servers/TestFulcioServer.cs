using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Coffer.Testing.Sigstore.Internal;
using Microsoft.AspNetCore.Http;

namespace Coffer.Testing.Sigstore.Servers;

/// <summary>
/// A Fulcio certificate authority on 127.0.0.1 speaking the v2 REST API.
/// <list type="number">
/// <item>Step 1: <c>POST /api/v2/signingCert</c> with <c>Authorization: Bearer ID_TOKEN</c> and a
/// <c>publicKeyRequest</c> (PEM key + proof of possession) or a PKCS#10 request.</item>
/// <item>Step 2: the token is verified against the issuer's JWKS (OIDC discovery), its <c>aud</c>
/// must hold <c>sigstore</c>, and the proof must be a signature over the token's subject
/// (the email, or <c>sub</c>).</item>
/// <item>Step 3: a leaf valid for <see cref="CertificateLifetime"/> is issued from the test
/// intermediate, with the Fulcio identity extensions and an embedded SCT from the test CT log,
/// and returned as <c>signedCertificateEmbeddedSct.chain.certificates</c> (leaf, intermediate, root).</item>
/// </list>
/// <c>GET /api/v2/trustBundle</c> returns the chain.
/// </summary>
public sealed class TestFulcioServer : IAsyncDisposable
{
    private const string Audience = "sigstore";

    private readonly ServerHost _host;
    private readonly JwtVerifier _tokens;
    private readonly TestCertificateAuthority _authority;
    private readonly CtLogSigner _ctLog;
    private readonly System.Collections.Concurrent.ConcurrentQueue<X509Certificate2> _issued = new();

    private TestFulcioServer(ServerHost host, JwtVerifier tokens, TestCertificateAuthority authority, CtLogSigner ctLog)
    {
        _host = host;
        _tokens = tokens;
        _authority = authority;
        _ctLog = ctLog;
    }

    /// <summary>The server URL, <c>http://127.0.0.1:PORT</c> (the signing config <c>caUrls</c> value).</summary>
    public string Url => _host.Url;

    /// <summary>The CA root (public part is what the trusted root lists).</summary>
    public X509Certificate2 Root => _authority.Root;

    /// <summary>The issuing intermediate.</summary>
    public X509Certificate2 Intermediate => _authority.Intermediate;

    /// <summary>When the CA became valid, the trusted-root <c>validFor.start</c>.</summary>
    public DateTimeOffset NotBefore => _authority.NotBefore;

    /// <summary>SPKI DER of the CT log key that signs the embedded SCTs.</summary>
    public byte[] CtLogPublicKey => _ctLog.PublicKeyDer;

    /// <summary>The CT log id, SHA-256 of <see cref="CtLogPublicKey"/>.</summary>
    public byte[] CtLogId => _ctLog.LogId;

    /// <summary>When the CT log key became valid.</summary>
    public DateTimeOffset CtLogNotBefore => _ctLog.NotBefore;

    /// <summary>How long issued leaves are valid.</summary>
    public TimeSpan CertificateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Every leaf issued, oldest first.</summary>
    public IReadOnlyList<X509Certificate2> IssuedCertificates => [.. _issued];

    /// <summary>Every request received, oldest first.</summary>
    public IReadOnlyList<ServerRequest> Requests => _host.Requests;

    /// <summary>Starts a Fulcio that trusts tokens from the given issuers (their <c>iss</c> values).</summary>
    public static async Task<TestFulcioServer> StartAsync(
        IReadOnlyCollection<string> trustedIssuers,
        CancellationToken cancellationToken = default)
    {
        var authority = TestCertificateAuthority.Create("coffer-test fulcio");
        var ctLog = new CtLogSigner();
        var tokens = new JwtVerifier(trustedIssuers, Audience);
        TestFulcioServer? fulcio = null;
        var host = await ServerHost.StartAsync(context => fulcio!.HandleAsync(context), cancellationToken);
        fulcio = new TestFulcioServer(host, tokens, authority, ctLog);
        return fulcio;
    }

    /// <summary>Makes the next <paramref name="count"/> requests fail with <paramref name="status"/>.</summary>
    public void FailNext(int count, int status) => _host.Faults.FailNext(count, status);

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _tokens.Dispose();
        _ctLog.Dispose();
        _authority.Dispose();
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    private static PublicKey ReadRequestKey(JsonElement body, string proofSubject)
    {
        if (body.TryGetProperty("publicKeyRequest", out var keyRequest))
        {
            var pem = JwtVerifier.String(keyRequest.GetProperty("publicKey"), "content")
                ?? throw new InvalidDataException("publicKeyRequest.publicKey.content is missing");
            var proof = Convert.FromBase64String(JwtVerifier.String(keyRequest, "proofOfPossession")
                ?? throw new InvalidDataException("publicKeyRequest.proofOfPossession is missing"));
            var spki = PemToDer(pem, "PUBLIC KEY");
            var subject = Encoding.UTF8.GetBytes(proofSubject);
            if (!VerifyProof(spki, subject, proof))
            {
                throw new InvalidDataException("the proof of possession does not verify over the token subject");
            }

            return PublicKey.CreateFromSubjectPublicKeyInfo(spki, out _);
        }

        if (JwtVerifier.String(body, "certificateSigningRequest") is { } csrBase64)
        {
            // The CSR's own signature is the proof of possession; LoadSigningRequestPem checks it.
            var csr = CertificateRequest.LoadSigningRequestPem(
                Encoding.UTF8.GetString(Convert.FromBase64String(csrBase64)), HashAlgorithmName.SHA256);
            return csr.PublicKey;
        }

        throw new InvalidDataException("the request has neither publicKeyRequest nor certificateSigningRequest");
    }

    private static bool VerifyProof(byte[] spki, byte[] subject, byte[] proof)
    {
        var key = PublicKey.CreateFromSubjectPublicKeyInfo(spki, out _);
        using var ecdsa = key.GetECDsaPublicKey();
        if (ecdsa is not null)
        {
            return ecdsa.VerifyData(subject, proof, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }

        using var rsa = key.GetRSAPublicKey();
        return rsa is not null
            && rsa.VerifyData(subject, proof, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    private static byte[] PemToDer(string pem, string label)
    {
        var fields = PemEncoding.Find(pem);
        if (!pem.AsSpan()[fields.Label].SequenceEqual(label))
        {
            throw new InvalidDataException($"expected a PEM {label}");
        }

        return Convert.FromBase64String(pem[fields.Base64Data]);
    }

    private static byte[] TbsCertificate(byte[] certificate)
    {
        var reader = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence();
        return reader.ReadEncodedValue().ToArray();
    }

    private static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path == "/api/v2/signingCert" && HttpMethods.IsPost(context.Request.Method))
        {
            await HandleSigningCertAsync(context);
        }
        else if (path == "/api/v2/trustBundle")
        {
            await Json.WriteAsync(context, 200, Json.Object(writer =>
            {
                writer.WriteStartArray("chains");
                writer.WriteStartObject();
                writer.WriteStartArray("certificates");
                writer.WriteStringValue(Pem(Intermediate));
                writer.WriteStringValue(Pem(Root));
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndArray();
            }));
        }
        else
        {
            await Json.WriteErrorAsync(context, 404, "not found");
        }
    }

    private async Task HandleSigningCertAsync(HttpContext context)
    {
        using var document = await Json.TryReadAsync(context.Request);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            await Json.WriteErrorAsync(context, 400, "the request body is not a JSON object");
            return;
        }

        var body = document.RootElement;
        var token = BearerToken(context.Request)
            ?? (body.TryGetProperty("credentials", out var credentials)
                ? JwtVerifier.String(credentials, "oidcIdentityToken")
                : null);
        if (token is null)
        {
            await Json.WriteErrorAsync(context, 401, "no identity token was given");
            return;
        }

        // Step 2: authenticate the token, then the key holder.
        JsonElement claims;
        try
        {
            claims = await _tokens.VerifyAsync(token, context.RequestAborted);
        }
        catch (InvalidDataException e)
        {
            await Json.WriteErrorAsync(context, 401, "error processing the identity token: " + e.Message);
            return;
        }

        X509Certificate2 leaf;
        try
        {
            var (san, proofSubject) = FulcioExtensions.Identity(claims);
            var key = ReadRequestKey(body, proofSubject);
            leaf = Issue(key, san, FulcioExtensions.Create(JwtVerifier.String(claims, "iss")!, claims));
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or CryptographicException
            or ArgumentException or KeyNotFoundException or InvalidOperationException)
        {
            await Json.WriteErrorAsync(context, 400, e.Message);
            return;
        }

        // Step 3: return the chain, leaf first.
        _issued.Enqueue(leaf);
        await Json.WriteAsync(context, 201, Json.Object(writer =>
        {
            writer.WriteStartObject("signedCertificateEmbeddedSct");
            writer.WriteStartObject("chain");
            writer.WriteStartArray("certificates");
            writer.WriteStringValue(Pem(leaf));
            writer.WriteStringValue(Pem(Intermediate));
            writer.WriteStringValue(Pem(Root));
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }));
    }

    private X509Certificate2 Issue(PublicKey key, X509Extension san, List<X509Extension> identity)
    {
        var notBefore = TestCertificateAuthority.TruncateToSeconds(DateTimeOffset.UtcNow);
        var notAfter = notBefore + CertificateLifetime;
        var serial = TestCertificateAuthority.RandomSerial();

        CertificateRequest Request()
        {
            var request = new CertificateRequest(new X500DistinguishedName(""), key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                new OidCollection { new Oid("1.3.6.1.5.5.7.3.3") }, false));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(key, false));
            request.CertificateExtensions.Add(
                X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Intermediate, true, false));
            request.CertificateExtensions.Add(san);
            foreach (var extension in identity)
            {
                request.CertificateExtensions.Add(extension);
            }

            return request;
        }

        // RFC 6962 §3.1: the log signs the TBSCertificate as it is without the SCT list; the
        // final leaf is the same TBSCertificate with the list appended as the last extension.
        using var precertificate = Request().Create(Intermediate, notBefore, notAfter, serial);
        var sctList = _ctLog.CreateSctListExtension(
            TbsCertificate(precertificate.RawData),
            Intermediate.PublicKey.ExportSubjectPublicKeyInfo(),
            DateTimeOffset.UtcNow);

        var final = Request();
        final.CertificateExtensions.Add(sctList);
        return final.Create(Intermediate, notBefore, notAfter, serial);
    }
}
