namespace Coffer.Http;

/// <summary>The <c>User-Agent</c> Coffer sends and the version it reports.</summary>
public static class UserAgent
{
    /// <summary>The library version, from the assembly's informational version.</summary>
    public static string Version { get; } = Shorten(BuildVersion.Informational);

    /// <summary>The header value, <c>coffer/1.2.3</c>.</summary>
    public static string Value => $"coffer/{Version}";

    private static string Shorten(string informational)
    {
        // The SDK appends "+<commit>"; keep the version and a short commit.
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 || informational.Length < plus + 8
            ? informational
            : informational[..(plus + 8)];
    }
}
