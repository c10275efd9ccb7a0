using Coffer.Errors;

namespace Coffer.Signing.Keys;

/// <summary>
/// Finds the password of a private key as cosign does: the <c>COSIGN_PASSWORD</c> variable when
/// it is set (an empty value is an empty password), else a prompt on the terminal.
/// </summary>
public sealed class KeyPassword
{
    /// <summary>The environment variable that holds the password.</summary>
    public const string EnvironmentVariable = "COSIGN_PASSWORD";

    private const string NoPasswordHint =
        $"Set {EnvironmentVariable} to the key's password (it may be empty), or run Coffer on a terminal.";

    private readonly Func<string, string?> _environment;

    private readonly Func<string, string?>? _prompt;

    /// <summary>Creates the resolver.</summary>
    /// <param name="environment">Looks up an environment variable; null when it is not set.</param>
    /// <param name="prompt">
    /// Shows a prompt and reads a line without echo; null when there is no terminal. It returns
    /// null when the user gave no answer (end of input).
    /// </param>
    public KeyPassword(Func<string, string?> environment, Func<string, string?>? prompt)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _environment = environment;
        _prompt = prompt;
    }

    /// <summary>The password to open an existing key.</summary>
    /// <exception cref="UsageException">No variable, and no terminal or no answer.</exception>
    public string Resolve()
    {
        if (_environment(EnvironmentVariable) is string fromEnvironment)
        {
            return fromEnvironment;
        }

        return Ask("Password for the private key: ");
    }

    /// <summary>
    /// The password for a new key. A prompted password is asked twice and must match.
    /// </summary>
    /// <exception cref="UsageException">No password could be read, or the two answers differ.</exception>
    public string ResolveForNewKey()
    {
        if (_environment(EnvironmentVariable) is string fromEnvironment)
        {
            return fromEnvironment;
        }

        string first = Ask("Password for the new private key: ");
        string second = Ask("The same password again: ");
        if (!string.Equals(first, second, StringComparison.Ordinal))
        {
            throw new UsageException("The two passwords differ.")
            {
                Hint = $"Type the same password twice, or set {EnvironmentVariable}.",
            };
        }

        return first;
    }

    private string Ask(string prompt)
    {
        if (_prompt is null)
        {
            throw new UsageException($"A password is needed for the private key, but {EnvironmentVariable} "
                + "is not set and there is no terminal to ask on.")
            {
                Hint = NoPasswordHint,
            };
        }

        return _prompt(prompt) ?? throw new UsageException("No password was typed for the private key.")
        {
            Hint = NoPasswordHint,
        };
    }
}
