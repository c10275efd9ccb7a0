using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Coffer.Testing.Sigstore.Internal;

/// <summary>
/// Checks an ID token the way Fulcio does: the issuer must be trusted, the signature must verify
/// with a key from the issuer's JWKS (found through OIDC discovery), <c>aud</c> must hold the
/// expected audience and the token must be within its lifetime.
/// </summary>
internal sealed class JwtVerifier(IReadOnlyCollection<string> trustedIssuers, string audience) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ConcurrentDictionary<string, JsonElement> _keySets = new(StringComparer.Ordinal);

    /// <summary>Returns the token's claims, or throws <see cref="InvalidDataException"/> with the reason.</summary>
    public async Task<JsonElement> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw new InvalidDataException("the identity token is not a JWS compact serialization");
        }

        JsonElement header;
        JsonElement claims;
        byte[] signature;
        try
        {
            header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement.Clone();
            claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement.Clone();
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new InvalidDataException("the identity token is malformed");
        }

        var issuer = String(claims, "iss") ?? throw new InvalidDataException("the token has no iss claim");
        if (!trustedIssuers.Contains(issuer))
        {
            throw new InvalidDataException($"the issuer {issuer} is not trusted");
        }

        var key = await FindKeyAsync(issuer, String(header, "kid"), cancellationToken);
        var input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!VerifySignature(String(header, "alg"), key, input, signature))
        {
            throw new InvalidDataException("the identity token signature does not verify");
        }

        CheckAudience(claims);
        CheckLifetime(claims);
        return claims;
    }

    public void Dispose() => _http.Dispose();

    internal static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static bool VerifySignature(string? algorithm, JsonElement jwk, byte[] input, byte[] signature)
    {
        switch (algorithm, String(jwk, "kty"))
        {
            case ("RS256", "RSA"):
                using (var rsa = RSA.Create(new RSAParameters
                {
                    Modulus = Base64Url.DecodeFromChars(String(jwk, "n")),
                    Exponent = Base64Url.DecodeFromChars(String(jwk, "e")),
                }))
                {
                    return rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                }

            case ("ES256", "EC"):
                using (var ecdsa = ECDsa.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint
                    {
                        X = Base64Url.DecodeFromChars(String(jwk, "x")),
                        Y = Base64Url.DecodeFromChars(String(jwk, "y")),
                    },
                }))
                {
                    return ecdsa.VerifyData(input, signature, HashAlgorithmName.SHA256);
                }

            default:
                return false;
        }
    }

    private void CheckAudience(JsonElement claims)
    {
        var found = claims.TryGetProperty("aud", out var aud) && aud.ValueKind switch
        {
            JsonValueKind.String => aud.GetString() == audience,
            JsonValueKind.Array => aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String
                && a.GetString() == audience),
            _ => false,
        };
        if (!found)
        {
            throw new InvalidDataException($"the token audience does not include {audience}");
        }
    }

    private static void CheckLifetime(JsonElement claims)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (!claims.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expires) || expires < now)
        {
            throw new InvalidDataException("the identity token has expired");
        }

        if (claims.TryGetProperty("nbf", out var nbf) && nbf.TryGetInt64(out var notBefore) && notBefore > now + 60)
        {
            throw new InvalidDataException("the identity token is not valid yet");
        }
    }

    private async Task<JsonElement> FindKeyAsync(string issuer, string? keyId, CancellationToken cancellationToken)
    {
        if (!_keySets.TryGetValue(issuer, out var keys))
        {
            // OIDC discovery: the configuration names the JWKS location.
            var configuration = JsonDocument.Parse(await _http.GetStringAsync(
                issuer + "/.well-known/openid-configuration", cancellationToken)).RootElement;
            var jwksUri = String(configuration, "jwks_uri")
                ?? throw new InvalidDataException("the issuer has no jwks_uri");
            keys = JsonDocument.Parse(await _http.GetStringAsync(jwksUri, cancellationToken))
                .RootElement.GetProperty("keys").Clone();
            _keySets[issuer] = keys;
        }

        foreach (var key in keys.EnumerateArray())
        {
            if (keyId is null || String(key, "kid") == keyId)
            {
                return key;
            }
        }

        throw new InvalidDataException("no key in the issuer's JWKS matches the token");
    }
}
