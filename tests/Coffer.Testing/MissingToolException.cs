namespace Coffer.Testing;

/// <summary>
/// Thrown when an external program that a fixture needs is not installed.
/// The message names the Debian package that provides it.
/// </summary>
public sealed class MissingToolException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public MissingToolException()
        : this("A required external program is missing.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    public MissingToolException(string message)
        : base(message)
    {
        Program = string.Empty;
        Package = string.Empty;
    }

    /// <summary>Creates the exception with the given message and inner exception.</summary>
    public MissingToolException(string message, Exception innerException)
        : base(message, innerException)
    {
        Program = string.Empty;
        Package = string.Empty;
    }

    /// <summary>Creates the exception for a program and the package that provides it.</summary>
    public MissingToolException(string program, string package)
        : base(
            $"The program '{program}' is required by the Coffer test fixtures but was not found on PATH. "
            + $"Install it with: sudo apt-get install {package}")
    {
        Program = program;
        Package = package;
    }

    /// <summary>The program name that was looked up.</summary>
    public string Program { get; }

    /// <summary>The Debian package that provides the program.</summary>
    public string Package { get; }
}
