namespace Coffer.Errors;

/// <summary>A failure with a message fit for the user, and the exit code it maps to.</summary>
public class CofferException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CofferException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CofferException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CofferException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a message and a hint.</summary>
    public CofferException(string message, string? hint, int exitCode = ExitCodes.Failure)
        : base(message)
    {
        Hint = hint;
        ExitCode = exitCode;
    }

    /// <summary>What the user can do about it, if known.</summary>
    public string? Hint { get; init; }

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; init; } = ExitCodes.Failure;
}
