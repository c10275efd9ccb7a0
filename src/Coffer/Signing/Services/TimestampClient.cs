using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using Coffer.Diagnostics;

namespace Coffer.Signing.Services;

/// <summary>
/// Gets an RFC 3161 timestamp over a signature.
/// <list type="number">
/// <item>Step 1: build a TimeStampReq: SHA-256 of the signature bytes, a random nonce, <c>certReq</c> true.</item>
/// <item>Step 2: <c>POST {tsa}</c> with <c>Content-Type: application/timestamp-query</c>.</item>
/// <item>Step 3: check the TimeStampResp is granted and its token answers our request (imprint, nonce),
/// then return the whole DER response, which is what a bundle's <c>signedTimestamp</c> holds.</item>
/// </list>
/// The TSA chain is checked against the trusted root later, by the verifier.
/// </summary>
public sealed class TimestampClient
{
    private const string Service = "Timestamp authority";
    private const int MaxResponseBytes = 64 * 1024;

    private readonly Uri _url;
    private readonly SigstoreHttp _http;

    /// <summary>Creates a client.</summary>
    /// <param name="url">The full endpoint, such as <c>https://timestamp.sigstore.dev/api/v1/timestamp</c>.</param>
    /// <param name="http">The HTTP client.</param>
    /// <param name="log">Debug log (method, URL and status only); null for none.</param>
    public TimestampClient(Uri url, HttpClient http, DebugLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(http);
        _url = url;
        _http = new SigstoreHttp(http, log);
    }

    /// <summary>Returns the DER TimeStampResp for <paramref name="signature"/>.</summary>
    /// <exception cref="SigstoreServiceException">The TSA refused or its answer does not match the request.</exception>
    public async Task<byte[]> TimestampAsync(
        ReadOnlyMemory<byte> signature,
        CancellationToken cancellationToken = default)
    {
        // Step 1: the request.
        var request = Rfc3161TimestampRequest.CreateFromData(
            signature.Span,
            HashAlgorithmName.SHA256,
            requestedPolicyId: null,
            nonce: RandomNumberGenerator.GetBytes(16),
            requestSignerCertificates: true);
        var body = request.Encode();

        // Step 2: send it.
        using var response = await _http.SendAsync(Service, () => new HttpRequestMessage(HttpMethod.Post, _url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/timestamp-query") } },
        }, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await _http.FailureAsync(Service, response, "timestamp request", null, cancellationToken)
                .ConfigureAwait(false);
        }

        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (answer.Length > MaxResponseBytes)
        {
            throw Unusable($"the answer is larger than {MaxResponseBytes} bytes");
        }

        // Step 3: the token must answer this request.
        try
        {
            request.ProcessResponse(answer, out var consumed);
            if (consumed != answer.Length)
            {
                throw Unusable("the answer has trailing bytes");
            }
        }
        catch (CryptographicException e)
        {
            throw Unusable(e.Message);
        }

        return answer;
    }

    private static SigstoreServiceException Unusable(string reason) =>
        new(Service, null, $"the timestamp authority's answer is unusable: {reason}", null);
}
