using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Coffer.Testing.Internal;

/// <summary>
/// Signs registry JWTs with RS256. The header carries the self-signed signing certificate in
/// <c>x5c</c>, which distribution 2.8 checks against its <c>rootcertbundle</c>.
/// </summary>
internal sealed class TokenSigner : IDisposable
{
    private readonly RSA _key;

    public TokenSigner()
    {
        _key = RSA.Create(2048);
        var request = new CertificateRequest(
            "CN=Coffer Test Token Signer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));

        var now = DateTimeOffset.UtcNow;
        Certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// Makes a signed token. <paramref name="access"/> is written as the <c>access</c> claim;
    /// <c>aud</c> is a plain string and the times are integer seconds, as 2.8 requires.
    /// </summary>
    public string Sign(
        string issuer,
        string audience,
        string subject,
        TimeSpan lifetime,
        IEnumerable<TokenScope> access)
    {
        var header = Json(writer =>
        {
            writer.WriteString("alg", "RS256");
            writer.WriteString("typ", "JWT");
            writer.WriteStartArray("x5c");
            writer.WriteStringValue(Convert.ToBase64String(Certificate.RawData));
            writer.WriteEndArray();
        });

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = Json(writer =>
        {
            writer.WriteString("iss", issuer);
            writer.WriteString("sub", subject);
            writer.WriteString("aud", audience);
            writer.WriteNumber("exp", now + (long)lifetime.TotalSeconds);
            writer.WriteNumber("nbf", now - 1);
            writer.WriteNumber("iat", now);
            writer.WriteString("jti", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            writer.WriteStartArray("access");
            foreach (var scope in access)
            {
                writer.WriteStartObject();
                writer.WriteString("type", scope.Type);
                writer.WriteString("name", scope.Name);
                writer.WriteStartArray("actions");
                foreach (var action in scope.Actions)
                {
                    writer.WriteStringValue(action);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });

        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        var signature = _key.SignData(
            Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
