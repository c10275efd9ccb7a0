using System.Text;

namespace Coffer.Diagnostics;

/// <summary>
/// Renders requests and responses for <c>--debug</c>: method, redacted URL and headers, with
/// credentials and cookies masked and locations redacted like any other URL. Bodies are never
/// rendered, so token responses cannot leak.
/// </summary>
public static class HttpTrace
{
    private static readonly HashSet<string> Masked = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Registry-Auth",
    };

    private static readonly HashSet<string> Urls = new(StringComparer.OrdinalIgnoreCase)
    {
        "Location", "Content-Location", "Link",
    };

    /// <summary>Renders a request line and its headers.</summary>
    public static string Request(long id, HttpRequestMessage request, Redactor redactor)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(redactor);
        var text = new StringBuilder($"--> #{id} {request.Method} {redactor.Url(request.RequestUri)}");
        Headers(text, request.Headers, redactor);
        if (request.Content is not null)
        {
            Headers(text, request.Content.Headers, redactor);
        }

        return text.ToString();
    }

    /// <summary>Renders a status line and the response headers.</summary>
    public static string Response(long id, HttpResponseMessage response, Redactor redactor)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(redactor);
        var request = response.RequestMessage;
        var text = new StringBuilder(
            $"<-- #{id} {(int)response.StatusCode} {request?.Method} {redactor.Url(request?.RequestUri)}");
        Headers(text, response.Headers, redactor);
        Headers(text, response.Content.Headers, redactor);
        return text.ToString();
    }

    private static void Headers(
        StringBuilder text, System.Net.Http.Headers.HttpHeaders headers, Redactor redactor)
    {
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                text.Append("\n    ").Append(name).Append(": ").Append(Render(name, value, redactor));
            }
        }
    }

    private static string Render(string name, string value, Redactor redactor)
    {
        if (Masked.Contains(name))
        {
            // Keep the scheme so a reader can tell Basic from Bearer.
            var space = value.IndexOf(' ', StringComparison.Ordinal);
            return name.Contains("Authorization", StringComparison.OrdinalIgnoreCase) && space > 0
                ? value[..space] + " " + Redactor.Mask
                : Redactor.Mask;
        }

        if (Urls.Contains(name))
        {
            var bracket = value.IndexOf('<', StringComparison.Ordinal);
            var close = value.IndexOf('>', StringComparison.Ordinal);
            if (bracket >= 0 && close > bracket)
            {
                var inner = value[(bracket + 1)..close];
                var rendered = Uri.TryCreate(inner, UriKind.RelativeOrAbsolute, out var link)
                    ? redactor.Url(link)
                    : "***";
                return value[..(bracket + 1)] + rendered + value[close..];
            }

            return Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out var uri) ? redactor.Url(uri) : Redactor.Mask;
        }

        return redactor.Scrub(value);
    }
}
