using Coffer.Errors;

namespace Coffer.Artifacts;

/// <summary>
/// Maps a layer title to a path under the output folder, refusing titles that are absolute,
/// climb with <c>..</c>, or pass through a symbolic link anywhere below the output folder.
/// </summary>
public static class PathSafety
{
    /// <summary>Resolves a title under <paramref name="root"/>.</summary>
    /// <param name="root">The output folder (must exist).</param>
    /// <param name="title">The layer title from the manifest.</param>
    /// <param name="allowTraversal">Accept titles that leave the folder (the user trusts the producer).</param>
    /// <exception cref="CofferException">The title is refused.</exception>
    public static string Resolve(string root, string title, bool allowTraversal)
    {
        var path = ResolveAny(root, title, allowTraversal);
        CheckReplaceable(title, path);
        return path;
    }

    /// <summary>
    /// Resolves the title of a directory layer: the same checks as <see cref="Resolve"/>, except
    /// that the destination may already be a folder (it is merged into), but not a file.
    /// </summary>
    /// <exception cref="CofferException">The title is refused.</exception>
    public static string ResolveFolder(string root, string title, bool allowTraversal)
    {
        var path = ResolveAny(root, title, allowTraversal);
        if (File.Exists(path) || FileKind.IsSpecial(path))
        {
            throw new CofferException(
                $"refusing to unpack layer titled '{title}': {path} exists and is not a folder",
                "remove or rename it, or pull into another folder with -o");
        }

        return path;
    }

    private static string ResolveAny(string root, string title, bool allowTraversal)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(title);
        if (title.Length == 0 || title.Contains('\0', StringComparison.Ordinal))
        {
            // No file can have this name, so --allow-path-traversal cannot help.
            throw new CofferException(
                $"refusing to write layer titled '{title}': it is empty or holds a NUL character",
                "no file can be named so; ask the artifact's producer to give the layer a proper title");
        }

        if (allowTraversal)
        {
            return Path.GetFullPath(Path.Combine(root, title));
        }

        if (Refusal(title) is { } why)
        {
            throw Refused(title, why);
        }

        var fullRoot = Path.GetFullPath(root);
        var current = fullRoot;
        var meaningful = Parts(title).Where(p => p.Length > 0 && p != ".").ToArray();

        // Every existing component below the root must be a real directory, not a link: a link
        // could lead the write anywhere.
        for (var i = 0; i < meaningful.Length; i++)
        {
            current = Path.Combine(current, meaningful[i]);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                throw InTheWay(title, $"'{Path.GetRelativePath(fullRoot, current)}' is a symbolic link");
            }

            if (i < meaningful.Length - 1 && File.Exists(current))
            {
                throw InTheWay(title, $"'{Path.GetRelativePath(fullRoot, current)}' is a file, not a folder");
            }
        }

        return current;
    }

    /// <summary>
    /// Why a pull would refuse <paramref name="title"/> without <c>--allow-path-traversal</c>
    /// whatever the output folder holds, or null when it would not; push checks titles with it.
    /// </summary>
    internal static string? Refusal(string title)
    {
        if (Path.IsPathRooted(title) || title.StartsWith('\\') || (title.Length > 1 && title[1] == ':'))
        {
            return "it is an absolute path";
        }

        var parts = Parts(title);
        if (parts.Any(p => p == ".."))
        {
            return "it climbs out of the output folder with '..'";
        }

        return parts.All(p => p.Length == 0 || p == ".") ? "it names the output folder itself" : null;
    }

    // On Unix a backslash is an ordinary character of a file name, not a separator.
    private static string[] Parts(string title) =>
        OperatingSystem.IsWindows() ? title.Split('/', '\\') : title.Split('/');

    /// <summary>
    /// Fails when the destination exists as something a pulled file must not replace: a folder,
    /// or a FIFO, device or socket. This holds even with <c>--allow-path-traversal</c>.
    /// </summary>
    public static void CheckReplaceable(string title, string path)
    {
        if (Directory.Exists(path))
        {
            throw new CofferException(
                $"refusing to write layer titled '{title}': {path} is a folder",
                "remove or rename that folder, or pull into another folder with -o");
        }

        if (FileKind.IsSpecial(path))
        {
            throw new CofferException(
                $"refusing to write layer titled '{title}': {path} is a FIFO, device or socket",
                "pull into another folder with -o");
        }
    }

    // What is in the way was in the output folder before the pull, so the hint starts with the folder.
    private static CofferException InTheWay(string title, string why) => new(
        $"refusing to write layer titled '{title}': {why} in the output folder",
        "move that entry away or pull into another folder with -o; if you trust the producer, " +
        "--allow-path-traversal writes through it");

    private static CofferException Refused(string title, string why) => new(
        $"refusing to write layer titled '{title}': {why}",
        "this is blocked for safety; if you trust the producer, --allow-path-traversal writes it anyway");
}
