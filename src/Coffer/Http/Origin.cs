namespace Coffer.Http;

/// <summary>Compares URLs by origin: scheme, host and port, with default ports filled in.</summary>
public static class Origin
{
    /// <summary>True when both URLs have the same scheme, host (ignoring case) and port.</summary>
    public static bool Same(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    /// <summary>The origin as text, <c>https://host:port</c>.</summary>
    public static string Of(Uri uri) => $"{uri.Scheme}://{uri.Authority}";
}
