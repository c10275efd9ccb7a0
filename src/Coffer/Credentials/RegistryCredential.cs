namespace Coffer.Credentials;

/// <summary>
/// A credential for one registry: a username with a password, or an identity token (an OAuth2
/// refresh token), or nothing at all for anonymous access.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> never shows the secret, so a credential can be passed to any logger or
/// formatted into any message without leaking.
/// </remarks>
public sealed class RegistryCredential
{
    /// <summary>The credential that asks for anonymous access.</summary>
    public static readonly RegistryCredential Anonymous = new(null, null, null);

    /// <summary>Creates a credential.</summary>
    /// <param name="username">The username, or <see langword="null"/>.</param>
    /// <param name="password">The password (or a registry token used as one), or <see langword="null"/>.</param>
    /// <param name="identityToken">An OAuth2 refresh token, or <see langword="null"/>.</param>
    public RegistryCredential(string? username, string? password, string? identityToken)
    {
        Username = string.IsNullOrEmpty(username) ? null : username;
        Password = string.IsNullOrEmpty(password) ? null : password;
        IdentityToken = string.IsNullOrEmpty(identityToken) ? null : identityToken;
    }

    /// <summary>The username, if any.</summary>
    public string? Username { get; }

    /// <summary>The password, if any.</summary>
    public string? Password { get; }

    /// <summary>The identity (refresh) token, if any.</summary>
    public string? IdentityToken { get; }

    /// <summary>True when the credential carries no secret at all.</summary>
    public bool IsAnonymous => Password is null && IdentityToken is null;

    /// <summary>Every secret this credential holds, for redaction.</summary>
    public IEnumerable<string> Secrets()
    {
        if (Password is not null)
        {
            yield return Password;
        }

        if (IdentityToken is not null)
        {
            yield return IdentityToken;
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        if (IsAnonymous)
        {
            return "anonymous";
        }

        return IdentityToken is not null
            ? $"identity token{(Username is null ? "" : $" for {Username}")}"
            : $"password for {Username ?? "(no username)"}";
    }
}
