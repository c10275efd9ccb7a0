using Coffer.Errors;

namespace Coffer.Artifacts;

/// <summary>
/// Moves an unpacked folder into place. A missing destination is one rename; an existing one
/// is merged: files and links replace what is there (unless <c>-k</c>), folders merge, and no
/// link at the destination is ever followed. <see cref="Check"/> finds every conflict before
/// <see cref="Move"/> changes anything.
/// </summary>
internal static class TreeMover
{
    /// <summary>Fails when the staged tree cannot be moved to <paramref name="destination"/>.</summary>
    public static void Check(string staged, string destination, bool keepOldFiles, string operation) =>
        Walk(staged, destination, keepOldFiles, operation, move: false);

    /// <summary>Moves the staged tree to <paramref name="destination"/>.</summary>
    public static void Move(string staged, string destination, bool keepOldFiles, string operation) =>
        Walk(staged, destination, keepOldFiles, operation, move: true);

    /// <summary>Applies folder modes to the tree now at <paramref name="destination"/>, skipping links.</summary>
    public static void ApplyModes(string destination, Dictionary<string, UnixFileMode> modes)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Deepest first, so a folder that loses its write bit comes after its contents.
        foreach (var (relative, mode) in modes.OrderByDescending(m => m.Key.Length))
        {
            var path = relative.Length == 0 ? destination : Path.Combine(destination, relative);
            var info = new DirectoryInfo(path);
            if (info.LinkTarget is null && info.Exists)
            {
                info.UnixFileMode = mode;
            }
        }
    }

    private static void Walk(string staged, string destination, bool keepOldFiles, string operation, bool move)
    {
        if (!Exists(destination))
        {
            if (move)
            {
                Directory.Move(staged, destination);
            }

            return;
        }

        if (new FileInfo(destination).LinkTarget is not null || !Directory.Exists(destination))
        {
            throw Conflict(operation, destination, "is a file or link where the layer has a folder");
        }

        var options = new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = false };
        foreach (var info in new DirectoryInfo(staged).EnumerateFileSystemInfos("*", options).ToList())
        {
            var target = Path.Combine(destination, info.Name);
            if (info is DirectoryInfo && info.LinkTarget is null)
            {
                Walk(info.FullName, target, keepOldFiles, operation, move);
                continue;
            }

            if (Exists(target))
            {
                if (new FileInfo(target).LinkTarget is null && Directory.Exists(target))
                {
                    throw Conflict(operation, target, "is a folder where the layer has a file");
                }

                if (FileKind.IsSpecial(target) && new FileInfo(target).LinkTarget is null)
                {
                    throw Conflict(operation, target, "is a FIFO, device or socket");
                }

                if (keepOldFiles)
                {
                    throw new CofferException($"{operation}: '{target}' already exists and --keep-old-files is set",
                        "remove the file, pull into another folder with -o, or drop -k");
                }
            }

            if (move)
            {
                // rename(2) replaces a link itself, never what it points to.
                PosixRename.Replace(info.FullName, target);
            }
        }
    }

    private static bool Exists(string path) =>
        File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private static CofferException Conflict(string operation, string path, string why) => new(
        $"{operation}: cannot unpack into place: '{path}' {why}",
        "remove or rename it, or pull into another folder with -o");
}
