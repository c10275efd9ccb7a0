namespace Coffer.Registry.Auth;

/// <summary>
/// How messages name the flags that give a command its credential. Most commands take
/// <c>-u</c> and <c>--password-stdin</c>; each side of a copy takes them with its own prefix, and a
/// hint that named the unprefixed flags would send the user to the wrong side.
/// </summary>
internal static class CredentialFlags
{
    /// <summary><c>-u &lt;user&gt; --password-stdin</c>, or the prefixed long flags.</summary>
    public static string Password(string prefix) => prefix.Length == 0
        ? "-u <user> --password-stdin"
        : $"--{prefix}username <user> --{prefix}password-stdin";

    /// <summary><c>--identity-token-stdin</c> with the prefix.</summary>
    public static string IdentityToken(string prefix) => $"--{prefix}identity-token-stdin";
}
