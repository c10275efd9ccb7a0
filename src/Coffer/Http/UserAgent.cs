using System.Reflection;

namespace Coffer.Http;

/// <summary>The <c>User-Agent</c> Coffer sends and the version it reports.</summary>
public static class UserAgent
{
    /// <summary>The library version, from the assembly's informational version.</summary>
    public static string Version { get; } = ReadVersion();

    /// <summary>The header value, <c>coffer/1.2.3</c>.</summary>
    public static string Value => $"coffer/{Version}";

    private static string ReadVersion()
    {
        var informational = typeof(UserAgent).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

        // The SDK appends "+<commit>"; keep the version and a short commit.
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 || informational.Length < plus + 8
            ? informational
            : informational[..(plus + 8)];
    }
}
