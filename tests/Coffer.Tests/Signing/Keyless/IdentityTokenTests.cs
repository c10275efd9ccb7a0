using System.Buffers.Text;
using System.Text;
using Coffer.Errors;
using Coffer.Signing.Keyless;

namespace Coffer.Tests.Signing.Keyless;

/// <summary>Claims an OIDC token may carry that are valid JSON but no usable value.</summary>
public sealed class IdentityTokenTests
{
    [Theory]
    [InlineData("{\"iss\":\"\\ud800\",\"sub\":\"s\"}")]
    [InlineData("{\"iss\":\"https://issuer.test\",\"sub\":\"s\",\"\\udc00\":1}")]
    [InlineData("{\"iss\":\"https://issuer.test\",\"sub\":\"s\",\"exp\":999999999999999}")]
    [InlineData("{\"iss\":\"https://issuer.test\",\"sub\":\"s\",\"exp\":-999999999999999}")]
    public void Parse_ClaimsNoStringOrTimeCanHold_AreNotUsable(string claims)
    {
        var token = Jwt(Encoding.UTF8.GetBytes(claims));
        var error = Assert.Throws<CofferException>(() => IdentityToken.Parse(token, "test"));

        Assert.Contains("is not usable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ClaimWithInvalidUtf8_IsNotUsable()
    {
        // A surrogate encoded as UTF-8, which the JSON reader passes and the string decoder refuses.
        byte[] claims = [.. "{\"iss\":\""u8, 0xED, 0xA0, 0x80, .. "\",\"sub\":\"s\"}"u8];

        var error = Assert.Throws<CofferException>(() => IdentityToken.Parse(Jwt(claims), "test"));

        Assert.Contains("is not usable", error.Message, StringComparison.Ordinal);
    }

    private static string Jwt(byte[] claims) => "eyJhbGciOiJSUzI1NiJ9." + Base64Url.EncodeToString(claims) + ".c2ln";
}
