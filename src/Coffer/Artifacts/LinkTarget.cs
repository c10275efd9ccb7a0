namespace Coffer.Artifacts;

/// <summary>
/// Checks where a symbolic link of a directory layer points, by its text alone. A target may
/// climb with <c>..</c> only at its start, where the climb runs through the link's own folders
/// (real folders, never links); after that it only descends, and every link it descends
/// through was checked the same way. So no chain of links can lead out of the root.
/// </summary>
internal static class LinkTarget
{
    /// <summary>Explains why a target is refused, or returns null when it stays inside the root.</summary>
    /// <param name="depth">How many folders below the root the link itself sits.</param>
    /// <param name="target">The link's target as stored.</param>
    public static string? Problem(int depth, string target)
    {
        if (target.Length == 0 || target.Contains('\0', StringComparison.Ordinal))
        {
            return "its target is empty or holds a NUL character";
        }

        if (target.StartsWith('/') || target.StartsWith('\\') || (target.Length > 1 && target[1] == ':'))
        {
            return $"its target '{target}' is an absolute path";
        }

        var parts = target.Split('/');
        var start = 0;
        var climbs = 0;
        for (; start < parts.Length && parts[start] is ".." or "." or ""; start++)
        {
            if (parts[start] == ".." && ++climbs > depth)
            {
                return $"its target '{target}' leads out of the output folder";
            }
        }

        return parts.Skip(start).Any(p => p == "..")
            ? $"its target '{target}' climbs with '..' after descending, which a chain of links could abuse"
            : null;
    }
}
