namespace Coffer.Testing;

/// <summary>An account known to a <see cref="TokenServer"/> and what it may do.</summary>
public sealed class TokenUser
{
    /// <summary>The actions a user without <see cref="Permissions"/> gets on every repository.</summary>
    public static readonly IReadOnlyList<string> FullAccess = ["pull", "push", "delete"];

    /// <summary>Creates a user that checks <paramref name="password"/>.</summary>
    public TokenUser(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        Password = password;
    }

    /// <summary>The password accepted in Basic auth and in the password grant.</summary>
    public string Password { get; }

    /// <summary>
    /// Maps a repository name to the actions this user may take on it. When null the user gets
    /// <see cref="FullAccess"/> on every repository and may also list the catalog.
    /// A returned <c>*</c> allows any requested action.
    /// </summary>
    public Func<string, IReadOnlyCollection<string>>? Permissions { get; init; }
}
