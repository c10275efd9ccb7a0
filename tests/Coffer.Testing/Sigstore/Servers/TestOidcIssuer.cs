using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Coffer.Testing.Sigstore.Internal;
using Microsoft.AspNetCore.Http;

namespace Coffer.Testing.Sigstore.Servers;

/// <summary>
/// An OpenID Connect issuer on 127.0.0.1 that mints ID tokens for Fulcio.
/// <list type="bullet">
/// <item><c>GET /.well-known/openid-configuration</c> and <c>GET /jwks</c>: discovery and keys
/// (one RS256 and one ES256 key).</item>
/// <item><c>GET /actions/token?api-version=2.0&amp;audience=AUD</c> with
/// <c>Authorization: bearer REQUEST_TOKEN</c>: the GitHub Actions token endpoint, answering
/// <c>{"value":"JWT"}</c> with <see cref="ActionsClaims"/> and <c>aud</c> = AUD.</item>
/// </list>
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    private readonly ServerHost _host;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ConcurrentQueue<string> _issuedTokens = new();

    private TestOidcIssuer(ServerHost host)
    {
        _host = host;
        ActionsRequestToken = "gha-request-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    }

    /// <summary>The issuer identifier (<c>iss</c>), <c>http://127.0.0.1:PORT</c>.</summary>
    public string Issuer => _host.Url;

    /// <summary>The value for <c>ACTIONS_ID_TOKEN_REQUEST_URL</c> (already holds a query).</summary>
    public string ActionsRequestUrl => Issuer + "/actions/token?api-version=2.0";

    /// <summary>The value for <c>ACTIONS_ID_TOKEN_REQUEST_TOKEN</c>.</summary>
    public string ActionsRequestToken { get; }

    /// <summary>The claims the GitHub Actions endpoint puts in its tokens (<c>aud</c> comes from the query).</summary>
    public OidcTokenClaims ActionsClaims { get; set; } = OidcTokenClaims.ForGitHubWorkflow();

    /// <summary>The algorithm the GitHub Actions endpoint signs with.</summary>
    public OidcSigningAlgorithm ActionsAlgorithm { get; set; } = OidcSigningAlgorithm.Rs256;

    /// <summary>Every token this issuer made, oldest first, to check none leaks into output.</summary>
    public IReadOnlyList<string> IssuedTokens => _issuedTokens.ToArray();

    /// <summary>Every request received, oldest first.</summary>
    public IReadOnlyList<ServerRequest> Requests => _host.Requests;

    /// <summary>Starts the issuer on a free 127.0.0.1 port.</summary>
    public static async Task<TestOidcIssuer> StartAsync(CancellationToken cancellationToken = default)
    {
        TestOidcIssuer? issuer = null;
        var host = await ServerHost.StartAsync(context => issuer!.HandleAsync(context), cancellationToken);
        issuer = new TestOidcIssuer(host);
        return issuer;
    }

    /// <summary>Signs an ID token with these claims; <c>iss</c> is this issuer.</summary>
    public string CreateToken(OidcTokenClaims claims, OidcSigningAlgorithm algorithm = OidcSigningAlgorithm.Rs256)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var token = Sign(claims, algorithm, Issuer);
        _issuedTokens.Enqueue(token);
        return token;
    }

    /// <summary>Signs a token that claims to come from this issuer with a key it never published.</summary>
    public static string CreateForgedToken(string issuer, OidcTokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        using var stranger = RSA.Create(2048);
        return Encode(claims, issuer, "rs256-key", "RS256", input =>
            stranger.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    /// <summary>Makes the next <paramref name="count"/> requests fail with <paramref name="status"/>.</summary>
    public void FailNext(int count, int status) => _host.Faults.FailNext(count, status);

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _rsa.Dispose();
        _ecdsa.Dispose();
    }

    private static string Encode(
        OidcTokenClaims claims, string issuer, string keyId, string algorithm, Func<byte[], byte[]> sign)
    {
        var header = Json.Object(writer =>
        {
            writer.WriteString("alg", algorithm);
            writer.WriteString("kid", keyId);
            writer.WriteString("typ", "JWT");
        });

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = Json.Object(writer =>
        {
            writer.WriteString("iss", issuer);
            writer.WriteString("sub", claims.Subject);
            writer.WriteString("aud", claims.Audience);
            writer.WriteNumber("iat", now);
            writer.WriteNumber("nbf", now - 5);
            writer.WriteNumber("exp", now + (long)claims.Lifetime.TotalSeconds);
            writer.WriteString("jti", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
            if (claims.Email is not null)
            {
                writer.WriteString("email", claims.Email);
                writer.WriteBoolean("email_verified", claims.EmailVerified);
            }

            foreach (var (name, value) in claims.Extra)
            {
                writer.WriteString(name, value);
            }
        });

        var input = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        return input + "." + Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(input)));
    }

    private string Sign(OidcTokenClaims claims, OidcSigningAlgorithm algorithm, string issuer) =>
        algorithm == OidcSigningAlgorithm.Es256
            ? Encode(claims, issuer, "es256-key", "ES256", input =>
                _ecdsa.SignData(input, HashAlgorithmName.SHA256))
            : Encode(claims, issuer, "rs256-key", "RS256", input =>
                _rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path == "/.well-known/openid-configuration")
        {
            await Json.WriteAsync(context, 200, Json.Object(writer =>
            {
                writer.WriteString("issuer", Issuer);
                writer.WriteString("jwks_uri", Issuer + "/jwks");
                writer.WriteStartArray("id_token_signing_alg_values_supported");
                writer.WriteStringValue("RS256");
                writer.WriteStringValue("ES256");
                writer.WriteEndArray();
            }));
        }
        else if (path == "/jwks")
        {
            await Json.WriteAsync(context, 200, Jwks());
        }
        else if (path == "/actions/token")
        {
            await HandleActionsTokenAsync(context);
        }
        else
        {
            await Json.WriteErrorAsync(context, 404, "not found");
        }
    }

    private async Task HandleActionsTokenAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase)
            || !string.Equals(authorization[7..].Trim(), ActionsRequestToken, StringComparison.Ordinal))
        {
            await Json.WriteErrorAsync(context, 401, "bad request token");
            return;
        }

        var audience = context.Request.Query["audience"].ToString();
        var claims = audience.Length == 0 ? ActionsClaims : ActionsClaims with { Audience = audience };
        var token = CreateToken(claims, ActionsAlgorithm);
        await Json.WriteAsync(context, 200, Json.Object(writer =>
        {
            writer.WriteNumber("count", 1);
            writer.WriteString("value", token);
        }));
    }

    private byte[] Jwks()
    {
        var rsa = _rsa.ExportParameters(false);
        var ec = _ecdsa.ExportParameters(false);
        return Json.Object(writer =>
        {
            writer.WriteStartArray("keys");
            writer.WriteStartObject();
            writer.WriteString("kty", "RSA");
            writer.WriteString("kid", "rs256-key");
            writer.WriteString("use", "sig");
            writer.WriteString("alg", "RS256");
            writer.WriteString("n", Base64Url.EncodeToString(rsa.Modulus));
            writer.WriteString("e", Base64Url.EncodeToString(rsa.Exponent));
            writer.WriteEndObject();
            writer.WriteStartObject();
            writer.WriteString("kty", "EC");
            writer.WriteString("kid", "es256-key");
            writer.WriteString("use", "sig");
            writer.WriteString("alg", "ES256");
            writer.WriteString("crv", "P-256");
            writer.WriteString("x", Base64Url.EncodeToString(ec.Q.X));
            writer.WriteString("y", Base64Url.EncodeToString(ec.Q.Y));
            writer.WriteEndObject();
            writer.WriteEndArray();
        });
    }
}
