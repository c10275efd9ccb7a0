namespace Coffer.Testing;

/// <summary>Settings for a <see cref="TokenServer"/>.</summary>
public sealed class TokenServerOptions
{
    /// <summary>The service name; the JWT <c>aud</c> and the registry's <c>auth.token.service</c>.</summary>
    public string Service { get; set; } = "coffer-test-registry";

    /// <summary>The JWT <c>iss</c>; the registry's <c>auth.token.issuer</c>.</summary>
    public string Issuer { get; set; } = "coffer-test-issuer";

    /// <summary>Accounts by user name. Copied when the server starts; add more with
    /// <see cref="TokenServer.AddUser"/>.</summary>
    public IDictionary<string, TokenUser> Users { get; } = new Dictionary<string, TokenUser>(StringComparer.Ordinal);

    /// <summary>Identity (refresh) tokens mapped to the user name they stand for. Copied at start.</summary>
    public IDictionary<string, string> IdentityTokens { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Repositories that an anonymous GET may pull. Copied at start.</summary>
    public ISet<string> PublicRepositories { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Answer every POST with 405, the way ghcr.io does. May change while running.</summary>
    public bool RefusePost { get; set; }

    /// <summary>Answer every request with a 200 <c>text/html</c> login page, like an OIDC-fronted Harbor.
    /// May change while running.</summary>
    public bool RespondWithHtml { get; set; }

    /// <summary>How long tokens live (<c>exp</c> and <c>expires_in</c>). Negative values make
    /// expired tokens. May change while running.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Reject a POST without <c>client_id</c> (the Docker OAuth spec requires it).</summary>
    public bool RequireClientId { get; set; } = true;

    /// <summary>Where to write <c>token-signing.crt</c>; null means a temporary folder the server
    /// deletes when disposed.</summary>
    public string? SigningCertificateDirectory { get; set; }

    /// <summary>A copy with its own collections, so a fixture can add to it without changing the caller's.</summary>
    internal TokenServerOptions Clone()
    {
        var copy = new TokenServerOptions
        {
            Service = Service,
            Issuer = Issuer,
            RefusePost = RefusePost,
            RespondWithHtml = RespondWithHtml,
            TokenLifetime = TokenLifetime,
            RequireClientId = RequireClientId,
            SigningCertificateDirectory = SigningCertificateDirectory,
        };

        foreach (var (name, user) in Users)
        {
            copy.Users[name] = user;
        }

        foreach (var (token, name) in IdentityTokens)
        {
            copy.IdentityTokens[token] = name;
        }

        copy.PublicRepositories.UnionWith(PublicRepositories);
        return copy;
    }
}
