using System.Net;
using Coffer.Errors;

namespace Coffer.Signing.Services;

/// <summary>A Sigstore service (Fulcio, Rekor, a TSA, an OIDC token endpoint) failed or refused a request.</summary>
public sealed class SigstoreServiceException : CofferException
{
    /// <summary>Creates the exception.</summary>
    public SigstoreServiceException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SigstoreServiceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SigstoreServiceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a service answer.</summary>
    public SigstoreServiceException(string service, HttpStatusCode? status, string message, string? hint)
        : base(message, hint)
    {
        Service = service;
        Status = status;
    }

    /// <summary>The service name, such as <c>Fulcio</c>.</summary>
    public string? Service { get; init; }

    /// <summary>The HTTP status, or null when no answer came.</summary>
    public HttpStatusCode? Status { get; init; }
}
