using System.Net;

namespace Coffer.Errors;

/// <summary>
/// A registry answered a request with an error. The message carries the operation, the
/// reference, the method, the redacted URL, the status and the registry's error codes, on one line.
/// </summary>
public sealed class RegistryException : CofferException
{
    /// <summary>Creates the exception.</summary>
    public RegistryException(
        string operation,
        string method,
        string redactedUrl,
        HttpStatusCode status,
        IReadOnlyList<RegistryError> errors,
        string? hint)
        : base(Render(operation, method, redactedUrl, status, errors), hint)
    {
        Operation = operation;
        Method = method;
        Url = redactedUrl;
        StatusCode = status;
        Errors = errors;
    }

    /// <summary>Creates the exception.</summary>
    public RegistryException()
    {
        Operation = Method = Url = "";
        Errors = [];
    }

    /// <summary>Creates the exception with a message.</summary>
    public RegistryException(string message)
        : base(message)
    {
        Operation = Method = Url = "";
        Errors = [];
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public RegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = Method = Url = "";
        Errors = [];
    }

    /// <summary>What Coffer was doing, with the reference (<c>push ghcr.io/o/r:v1</c>).</summary>
    public string Operation { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The URL, redacted.</summary>
    public string Url { get; }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The registry's error codes, possibly empty.</summary>
    public IReadOnlyList<RegistryError> Errors { get; }

    /// <summary>True when any error has this code.</summary>
    public bool HasCode(string code) => Errors.Any(e => string.Equals(e.Code, code, StringComparison.Ordinal));

    private static string Render(
        string operation, string method, string url, HttpStatusCode status, IReadOnlyList<RegistryError> errors)
    {
        var text = $"{operation}: {method} {url}: {(int)status}";
        if (Enum.IsDefined(status))
        {
            text += " " + ReasonPhrase(status);
        }

        if (errors.Count > 0)
        {
            // The registry writes these; line breaks or escapes in them must not split the line.
            text += ": " + System.Text.RegularExpressions.Regex.Replace(
                string.Join("; ", errors), @"\p{Cc}+", " ").TrimEnd();
        }

        return text;
    }

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.RequestEntityTooLarge => "Request Entity Too Large",
        HttpStatusCode.TooManyRequests => "Too Many Requests",
        _ => System.Text.RegularExpressions.Regex.Replace(status.ToString(), "(?<=[a-z])(?=[A-Z])", " "),
    };
}
