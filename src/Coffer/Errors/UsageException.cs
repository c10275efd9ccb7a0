namespace Coffer.Errors;

/// <summary>The command line is wrong. Maps to exit code 2.</summary>
public sealed class UsageException : CofferException
{
    /// <summary>Creates the exception.</summary>
    public UsageException()
    {
        ExitCode = ExitCodes.Usage;
    }

    /// <summary>Creates the exception with a message.</summary>
    public UsageException(string message)
        : base(message)
    {
        ExitCode = ExitCodes.Usage;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Usage;
    }
}
