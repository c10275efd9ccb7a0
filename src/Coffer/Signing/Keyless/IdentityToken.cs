using System.Buffers.Text;
using System.Text.Json;
using Coffer.Errors;

namespace Coffer.Signing.Keyless;

/// <summary>
/// An OIDC ID token for Fulcio, with the few claims a signer reads. The claims are decoded, not
/// verified: Fulcio verifies the token. <see cref="ToString"/> never shows the token.
/// </summary>
public sealed class IdentityToken
{
    private IdentityToken(string value, string issuer, string subject, string? email, IReadOnlyList<string> audiences,
        DateTimeOffset? expiresAt)
    {
        Value = value;
        Issuer = issuer;
        Subject = subject;
        Email = email;
        Audiences = audiences;
        ExpiresAt = expiresAt;
    }

    /// <summary>The raw JWT. A secret: never log or print it.</summary>
    public string Value { get; }

    /// <summary>The <c>iss</c> claim.</summary>
    public string Issuer { get; }

    /// <summary>The <c>sub</c> claim.</summary>
    public string Subject { get; }

    /// <summary>The <c>email</c> claim, or null.</summary>
    public string? Email { get; }

    /// <summary>The <c>aud</c> claim as a list.</summary>
    public IReadOnlyList<string> Audiences { get; }

    /// <summary>The <c>exp</c> claim, or null.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>
    /// What Fulcio expects the proof of possession to sign: the email for email identities,
    /// otherwise the subject (spec-notes §4 step 3).
    /// </summary>
    public string ProofSubject => Email ?? Subject;

    /// <summary>Decodes a compact JWT.</summary>
    /// <param name="value">The token.</param>
    /// <param name="source">Where it came from, for messages (e.g. <c>--identity-token</c>).</param>
    /// <exception cref="CofferException">The value is not a JWT with <c>iss</c> and <c>sub</c>.</exception>
    public static IdentityToken Parse(string value, string source)
    {
        ArgumentNullException.ThrowIfNull(value);
        value = value.Trim();
        var parts = value.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            throw Invalid(source, "it is not a JWT (three dot-separated parts)");
        }

        JsonDocument payload;
        try
        {
            payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw Invalid(source, "its payload is not base64url JSON");
        }

        // A lone surrogate, escaped or encoded as UTF-8, is JSON the reader passes but no string holds.
        using (payload)
        {
            try
            {
                return FromClaims(value, payload.RootElement, source);
            }
            catch (InvalidOperationException)
            {
                throw Invalid(source, "its payload holds text that is not valid Unicode");
            }
        }
    }

    /// <summary>A description without the token itself.</summary>
    public override string ToString() => $"identity token for {ProofSubject} from {Issuer}";

    private static IdentityToken FromClaims(string value, JsonElement claims, string source)
    {
        if (claims.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, "its payload is not a JSON object");
        }

        var issuer = String(claims, "iss") ?? throw Invalid(source, "it has no iss claim");
        var subject = String(claims, "sub") ?? throw Invalid(source, "it has no sub claim");
        var audiences = new List<string>();
        if (claims.TryGetProperty("aud", out var aud))
        {
            if (aud.ValueKind == JsonValueKind.String)
            {
                audiences.Add(aud.GetString()!);
            }
            else if (aud.ValueKind == JsonValueKind.Array)
            {
                audiences.AddRange(aud.EnumerateArray()
                    .Where(a => a.ValueKind == JsonValueKind.String)
                    .Select(a => a.GetString()!));
            }
        }

        DateTimeOffset? expires = null;
        if (claims.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds))
        {
            if (seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds()
                || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            {
                throw Invalid(source, "its exp claim is not a time between the years 1 and 9999");
            }

            expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        return new IdentityToken(value, issuer, subject, String(claims, "email"), audiences, expires);
    }

    private static string? String(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static CofferException Invalid(string source, string reason) =>
        new($"the identity token from {source} is not usable: {reason}",
            "Pass an OIDC ID token (a JWT) issued for the audience 'sigstore'.",
            ExitCodes.Usage);
}
