using Coffer.Errors;

namespace Coffer.Signing.Trust;

/// <summary>A trusted root could not be read or is malformed. Exit code 3.</summary>
public sealed class TrustedRootFormatException : CofferException
{
    /// <summary>Creates the exception.</summary>
    public TrustedRootFormatException()
    {
        ExitCode = ExitCodes.VerificationFailed;
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrustedRootFormatException(string message)
        : base(message)
    {
        ExitCode = ExitCodes.VerificationFailed;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TrustedRootFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.VerificationFailed;
    }
}
