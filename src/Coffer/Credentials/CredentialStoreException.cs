namespace Coffer.Credentials;

/// <summary>
/// A credential store could not be read or written. The message names the store and the fix, and
/// never contains a secret or the content of a malformed entry.
/// </summary>
public sealed class CredentialStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CredentialStoreException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CredentialStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CredentialStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
