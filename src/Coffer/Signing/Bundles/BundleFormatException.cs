using Coffer.Errors;

namespace Coffer.Signing.Bundles;

/// <summary>A bundle could not be read: bad JSON, an unknown version or missing parts. Exit code 3.</summary>
public sealed class BundleFormatException : CofferException
{
    /// <summary>Creates the exception.</summary>
    public BundleFormatException()
    {
        ExitCode = ExitCodes.VerificationFailed;
    }

    /// <summary>Creates the exception with a message.</summary>
    public BundleFormatException(string message)
        : base(message)
    {
        ExitCode = ExitCodes.VerificationFailed;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public BundleFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.VerificationFailed;
    }
}
