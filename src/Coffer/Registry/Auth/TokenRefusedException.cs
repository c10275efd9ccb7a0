using System.Net;
using Coffer.Errors;

namespace Coffer.Registry.Auth;

/// <summary>A token endpoint refused the credential (or anonymous access).</summary>
public sealed class TokenRefusedException : CofferException
{
    /// <summary>Creates the exception.</summary>
    public TokenRefusedException(HttpStatusCode status, string message)
        : base(message, "check the credential: pass -u <user> --password-stdin, or run coffer login")
    {
        StatusCode = status;
    }

    /// <summary>Creates the exception with its own hint, wrapping the refusal it adds context to.</summary>
    public TokenRefusedException(HttpStatusCode status, string message, string hint, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = status;
        Hint = hint;
    }

    /// <summary>Creates the exception.</summary>
    public TokenRefusedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TokenRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TokenRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The status the token endpoint answered.</summary>
    public HttpStatusCode StatusCode { get; }
}
