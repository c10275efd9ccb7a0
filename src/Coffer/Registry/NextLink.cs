using Coffer.Errors;
using Coffer.Http;

namespace Coffer.Registry;

/// <summary>
/// Reads the <c>Link: &lt;url&gt;; rel="next"</c> header of a paginated list (distribution spec,
/// "Listing Tags"; RFC 8288) and decides whether following it is safe.
/// </summary>
/// <remarks>
/// A next link is followed only when it is relative or on the registry's own origin. A registry
/// that could point the client anywhere could make it probe the user's network on its behalf
/// (oras-go GHSA-h7vf-4x9w-h99v).
/// </remarks>
internal static class NextLink
{
    /// <summary>The next page's URL, or null when the response names no next page.</summary>
    /// <exception cref="CofferException">The link points at another origin or is not HTTP(S).</exception>
    public static Uri? Find(HttpResponseMessage response, Uri registry, string operation)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            foreach (var link in Split(value))
            {
                if (!IsNext(link, out var target))
                {
                    continue;
                }

                var requested = response.RequestMessage?.RequestUri ?? registry;
                if (!Uri.TryCreate(requested, target, out var next) || !HasValidHost(next))
                {
                    throw new CofferException(
                        $"{operation}: the registry's next-page link is not a URL; stopping",
                        "the registry does not follow the distribution spec here; report it to its operator");
                }

                if (!Origin.Same(next, registry))
                {
                    var origin = next.Scheme is "http" or "https" ? Origin.Of(next) : next.Scheme + ":";
                    throw new CofferException(
                        $"{operation}: the registry's next-page link points at another origin, {origin}; " +
                        $"refusing to follow it off {Origin.Of(registry)}",
                        "a registry's pages stay on its own origin; the listing stopped here, " +
                        "report this registry to its operator");
                }

                return next;
            }
        }

        return null;
    }

    // Uri.TryCreate accepts some hosts that IDN mapping then refuses (Uri.IdnHost throws).
    private static bool HasValidHost(Uri uri)
    {
        try
        {
            _ = uri.IdnHost;
            return true;
        }
        catch (UriFormatException)
        {
            return false;
        }
    }

    // Links are separated by commas outside the <...> part.
    private static IEnumerable<string> Split(string header)
    {
        var start = 0;
        var inUrl = false;
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i] == '<')
            {
                inUrl = true;
            }
            else if (header[i] == '>')
            {
                inUrl = false;
            }
            else if (header[i] == ',' && !inUrl)
            {
                yield return header[start..i];
                start = i + 1;
            }
        }

        yield return header[start..];
    }

    private static bool IsNext(string link, out string target)
    {
        target = "";
        var open = link.IndexOf('<', StringComparison.Ordinal);
        var close = link.IndexOf('>', StringComparison.Ordinal);
        if (open < 0 || close < open)
        {
            return false;
        }

        foreach (var parameter in link[(close + 1)..].Split(';', StringSplitOptions.TrimEntries))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || !parameter[..equals].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var relations = parameter[(equals + 1)..].Trim().Trim('"');
            if (relations.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Contains("next", StringComparer.OrdinalIgnoreCase))
            {
                target = link[(open + 1)..close].Trim();
                return true;
            }
        }

        return false;
    }
}
