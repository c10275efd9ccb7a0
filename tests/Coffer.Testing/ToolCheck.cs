using System.Diagnostics.CodeAnalysis;

namespace Coffer.Testing;

/// <summary>
/// Finds the external programs the fixtures run. A missing program is an error, never a skipped test.
/// </summary>
public static class ToolCheck
{
    /// <summary>The CNCF distribution registry binary.</summary>
    public const string DockerRegistry = "docker-registry";

    /// <summary>The Apache password file tool, used to make bcrypt entries.</summary>
    public const string Htpasswd = "htpasswd";

    /// <summary>The container image copy tool, used as a reference client.</summary>
    public const string Skopeo = "skopeo";

    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        [DockerRegistry] = "docker-registry",
        [Htpasswd] = "apache2-utils",
        [Skopeo] = "skopeo",
    };

    /// <summary>
    /// Returns the full path of <paramref name="program"/> on PATH.
    /// </summary>
    /// <exception cref="MissingToolException">The program is not on PATH.</exception>
    public static string Require(string program)
    {
        ArgumentException.ThrowIfNullOrEmpty(program);

        if (TryFind(program, out var path))
        {
            return path;
        }

        throw new MissingToolException(program, PackageFor(program));
    }

    /// <summary>Looks for <paramref name="program"/> on PATH without throwing.</summary>
    public static bool TryFind(string program, [NotNullWhen(true)] out string? path)
    {
        ArgumentException.ThrowIfNullOrEmpty(program);

        var searchPath = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var folder in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, program);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                path = candidate;
                return true;
            }
        }

        path = null;
        return false;
    }

    /// <summary>The Debian package that provides <paramref name="program"/>.</summary>
    public static string PackageFor(string program) =>
        Packages.TryGetValue(program, out var package) ? package : $"<the package that provides {program}>";

    private static bool IsExecutable(string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode AnyExecute =
            UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(file) & AnyExecute) != 0;
    }
}
