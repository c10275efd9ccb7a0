using System.Text;
using Coffer.Signing.Keyless;
using Coffer.Signing.Keys;
using Coffer.Signing.Services;
using Coffer.Testing.Sigstore.Servers;
using Coffer.Tests.Properties;

namespace Coffer.Tests.Signing.Keyless;

/// <summary>What the Fulcio client makes of answers that a broken Fulcio or proxy could send.</summary>
public sealed class FulcioClientTests : IAsyncLifetime
{
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
    public async Task RequestCertificate_ChainElementWithALoneSurrogateEscape_IsAnUnusableAnswer()
    {
        // "\ud800" is valid JSON but no .NET string.
        using var handler = new CorruptingHandler
        {
            Corrupt = answer => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(answer)
                .Replace("\"-----BEGIN", "\"\\ud800-----BEGIN", StringComparison.Ordinal)),
        };
        using var http = new HttpClient(handler);
        var client = new FulcioClient(new Uri(_fulcio.Url), http);
        var token = IdentityToken.Parse(_issuer.CreateToken(OidcTokenClaims.ForEmail("ci@coffer.test")), "test");
        using var signer = EcdsaSigner.Generate();

        var error = await Assert.ThrowsAsync<SigstoreServiceException>(
            () => client.RequestCertificateAsync(token, signer));

        Assert.Contains("Fulcio's answer is unusable", error.Message, StringComparison.Ordinal);
    }
}
