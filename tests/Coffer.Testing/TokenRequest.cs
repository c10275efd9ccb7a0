namespace Coffer.Testing;

/// <summary>One request a <see cref="TokenServer"/> received, for assertions.</summary>
public sealed record TokenRequest
{
    /// <summary>GET or POST (or anything else a client sent).</summary>
    public required string Method { get; init; }

    /// <summary>The raw query string including the leading <c>?</c>, or empty.</summary>
    public required string Query { get; init; }

    /// <summary>The requested scopes, one entry per scope (space-joined values are split).</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>The <c>service</c> parameter, when sent.</summary>
    public string? Service { get; init; }

    /// <summary>The <c>account</c> parameter of a GET, when sent.</summary>
    public string? Account { get; init; }

    /// <summary>The <c>grant_type</c> of a POST, when sent.</summary>
    public string? GrantType { get; init; }

    /// <summary>The <c>client_id</c> parameter, when sent.</summary>
    public string? ClientId { get; init; }

    /// <summary>True when the request carried an <c>Authorization: Basic</c> header.</summary>
    public bool UsedBasicAuth { get; init; }

    /// <summary>True when a POST used <c>grant_type=refresh_token</c>.</summary>
    public bool UsedRefreshToken { get; init; }

    /// <summary>The user the request authenticated as, or null (anonymous or rejected).</summary>
    public string? Username { get; init; }

    /// <summary>The HTTP status the server answered.</summary>
    public int Status { get; init; }
}
