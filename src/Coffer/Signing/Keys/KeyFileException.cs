using Coffer.Errors;

namespace Coffer.Signing.Keys;

/// <summary>
/// A private or public key could not be loaded. The message names the input and what was wrong
/// with it, the hint says what to do; neither ever contains a password or key material.
/// </summary>
public sealed class KeyFileException : CofferException
{
    /// <summary>Creates the exception.</summary>
    public KeyFileException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public KeyFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public KeyFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the problem, a message and a hint.</summary>
    public KeyFileException(KeyFileProblem problem, string message, string? hint)
        : base(message, hint)
    {
        Problem = problem;
    }

    /// <summary>What was wrong with the key.</summary>
    public KeyFileProblem Problem { get; }
}
