using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Coffer.Diagnostics;
using Coffer.Signing.Keys;
using Coffer.Signing.Services;

namespace Coffer.Signing.Keyless;

/// <summary>
/// Asks Fulcio (REST API v2) for a short-lived code-signing certificate for a key.
/// <list type="number">
/// <item>Step 1: sign the token's subject (email, or <c>sub</c>) with the key: the proof of possession.</item>
/// <item>Step 2: <c>POST {fulcio}/api/v2/signingCert</c> with <c>Authorization: Bearer ID_TOKEN</c> and
/// <c>{"publicKeyRequest":{"publicKey":{"algorithm":"ECDSA","content":PEM},"proofOfPossession":B64}}</c>.</item>
/// <item>Step 3: read <c>signedCertificateEmbeddedSct.chain.certificates</c> (PEM, leaf first) and
/// check the leaf certifies exactly our key.</item>
/// </list>
/// The chain and SCT are checked against the trusted root later, by the verifier.
/// </summary>
public sealed class FulcioClient
{
    private const string Service = "Fulcio";
    private const int MaxChainLength = 10;

    private readonly Uri _baseUrl;
    private readonly SigstoreHttp _http;

    /// <summary>Creates a client.</summary>
    /// <param name="baseUrl">The Fulcio URL, such as <c>https://fulcio.sigstore.dev</c>.</param>
    /// <param name="http">The HTTP client.</param>
    /// <param name="log">Debug log (method, URL and status only); null for none.</param>
    public FulcioClient(Uri baseUrl, HttpClient http, DebugLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(http);
        _baseUrl = baseUrl;
        _http = new SigstoreHttp(http, log);
    }

    /// <summary>
    /// Requests a certificate for the key of <paramref name="signer"/> with the identity in <paramref name="token"/>.
    /// </summary>
    /// <exception cref="SigstoreServiceException">Fulcio refused or answered something unusable.</exception>
    public async Task<SigningCertificate> RequestCertificateAsync(
        IdentityToken token,
        EcdsaSigner signer,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(signer);
        _http.Redactor.AddSecret(token.Value);

        // Step 1: the proof of possession.
        var proof = signer.SignData(Encoding.UTF8.GetBytes(token.ProofSubject));
        var spki = signer.PublicKey.SubjectPublicKeyInfo;
        var body = RequestBody(signer.PublicKeyPem, proof);

        // Step 2: the request.
        var url = new Uri(WithSlash(_baseUrl), "api/v2/signingCert");
        using var response = await _http.SendAsync(Service, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
            request.Headers.Accept.ParseAdd("application/json");
            return request;
        }, cancellationToken).ConfigureAwait(false);

        if (!response.IsSuccessStatusCode)
        {
            var hint = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? $"Fulcio did not accept the token from {token.Issuer}; check the issuer is one this "
                    + "Fulcio trusts, the audience is 'sigstore' and the token has not expired."
                : null;
            throw await _http.FailureAsync(Service, response, "certificate request", hint, cancellationToken)
                .ConfigureAwait(false);
        }

        // Step 3: the chain, and the key it certifies.
        var certificates = ReadChain(
            await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        var leaf = certificates[0];
        if (!leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(spki.Span))
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }

            throw new SigstoreServiceException(
                Service, response.StatusCode, "Fulcio returned a certificate for a different key", null);
        }

        return new SigningCertificate(leaf, certificates.Skip(1).ToList());
    }

    internal static Uri WithSlash(Uri baseUrl) =>
        baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");

    private static byte[] RequestBody(string publicKeyPem, byte[] proof)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("publicKeyRequest");
            writer.WriteStartObject("publicKey");
            writer.WriteString("algorithm", "ECDSA");
            writer.WriteString("content", publicKeyPem);
            writer.WriteEndObject();
            writer.WriteBase64String("proofOfPossession", proof);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static List<X509Certificate2> ReadChain(byte[] body)
    {
        var pems = new List<string>();
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("signedCertificateDetachedSct", out _))
            {
                throw Unusable("it returned a detached SCT, which a v0.3 bundle cannot carry");
            }

            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("signedCertificateEmbeddedSct", out var embedded)
                || embedded.ValueKind != JsonValueKind.Object
                || !embedded.TryGetProperty("chain", out var chain) || chain.ValueKind != JsonValueKind.Object
                || !chain.TryGetProperty("certificates", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw Unusable("the answer has no signedCertificateEmbeddedSct.chain.certificates");
            }

            foreach (var item in list.EnumerateArray())
            {
                pems.Add(item.ValueKind == JsonValueKind.String
                    ? item.GetString()!
                    : throw Unusable("a chain element is not a PEM string"));
            }
        }
        catch (JsonException)
        {
            throw Unusable("the answer is not JSON");
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate, escaped ("\ud800") or encoded as UTF-8, passes the JSON reader but
            // no string holds it.
            throw Unusable("a chain element is not valid Unicode text");
        }

        if (pems.Count is 0 or > MaxChainLength)
        {
            throw Unusable($"the chain holds {pems.Count} certificates");
        }

        var certificates = new List<X509Certificate2>();
        try
        {
            foreach (var pem in pems)
            {
                certificates.Add(X509Certificate2.CreateFromPem(pem));
            }
        }
        catch (CryptographicException)
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }

            throw Unusable("a chain element is not a PEM certificate");
        }

        return certificates;
    }

    private static SigstoreServiceException Unusable(string reason) =>
        new(Service, null, $"Fulcio's answer is unusable: {reason}", null);
}
