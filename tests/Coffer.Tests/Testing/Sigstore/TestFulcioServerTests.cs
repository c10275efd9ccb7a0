using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Coffer.Testing.Sigstore.Servers;

namespace Coffer.Tests.Testing.Sigstore;

public sealed class TestFulcioServerTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private TestOidcIssuer _issuer = null!;
    private TestFulcioServer _fulcio = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestOidcIssuer.StartAsync();
        _fulcio = await TestFulcioServer.StartAsync([_issuer.Issuer]);
    }

    public async Task DisposeAsync()
    {
        await _fulcio.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task SigningCert_WithACertificateSigningRequest_IssuesForTheCsrKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=ignored", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        var token = _issuer.CreateToken(OidcTokenClaims.ForEmail("csr@example.test"));
        var body = $$"""{"credentials":{"oidcIdentityToken":"{{token}}"},"certificateSigningRequest":"{{
            Convert.ToBase64String(Encoding.UTF8.GetBytes(csr))}}"}""";

        using var response = await PostAsync(body, bearer: null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var leaf = LeafOf(await response.Content.ReadAsStringAsync());
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), leaf.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Theory]
    [InlineData("expired", HttpStatusCode.Unauthorized, "expired")]
    [InlineData("audience", HttpStatusCode.Unauthorized, "audience")]
    [InlineData("unverified", HttpStatusCode.BadRequest, "not verified")]
    [InlineData("proof", HttpStatusCode.BadRequest, "proof of possession")]
    [InlineData("none", HttpStatusCode.Unauthorized, "no identity token")]
    public async Task SigningCert_RefusesBadRequests(string fault, HttpStatusCode status, string reason)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var claims = OidcTokenClaims.ForEmail("dev@example.test");
        claims = fault switch
        {
            "expired" => claims with { Lifetime = TimeSpan.FromMinutes(-5) },
            "audience" => claims with { Audience = "not-sigstore" },
            "unverified" => claims with { EmailVerified = false },
            _ => claims,
        };
        var token = _issuer.CreateToken(claims, OidcSigningAlgorithm.Es256);
        var subject = fault == "proof" ? "someone-else@example.test" : claims.Email!;
        var proof = key.SignData(Encoding.UTF8.GetBytes(subject), HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence);
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["publicKeyRequest"] = new Dictionary<string, object>
            {
                ["publicKey"] = new Dictionary<string, string>
                {
                    ["algorithm"] = "ECDSA",
                    ["content"] = key.ExportSubjectPublicKeyInfoPem(),
                },
                ["proofOfPossession"] = Convert.ToBase64String(proof),
            },
        });

        using var response = await PostAsync(body, fault == "none" ? null : token);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_fulcio.IssuedCertificates);
    }

    [Fact]
    public async Task TrustBundle_ListsIntermediateAndRoot()
    {
        var json = JsonDocument.Parse(await Http.GetStringAsync(_fulcio.Url + "/api/v2/trustBundle")).RootElement;

        var chain = Assert.Single(json.GetProperty("chains").EnumerateArray()).GetProperty("certificates");
        Assert.Equal(2, chain.GetArrayLength());
    }

    private static X509Certificate2 LeafOf(string json)
    {
        var pem = JsonDocument.Parse(json).RootElement.GetProperty("signedCertificateEmbeddedSct")
            .GetProperty("chain").GetProperty("certificates")[0].GetString()!;
        return X509Certificate2.CreateFromPem(pem);
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _fulcio.Url + "/api/v2/signingCert")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await Http.SendAsync(request);
    }
}
