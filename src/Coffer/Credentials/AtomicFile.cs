using Coffer.IO;

namespace Coffer.Credentials;

/// <summary>
/// Replaces a file that holds secrets in one step, so readers see the old content or the new
/// content and never a half-written file, and nobody else can read it at any moment.
/// </summary>
internal static class AtomicFile
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode OwnerOnlyDirectory =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Writes <paramref name="content"/> to a temp file created with mode 0600 in the target's
    /// directory, then renames it over the target. A missing directory is created with mode 0700.
    /// </summary>
    /// <param name="path">The file to replace; for a symlink, its final target.</param>
    /// <param name="content">The new content.</param>
    /// <param name="cancellationToken">Cancels the write, leaving the target unchanged.</param>
    /// <exception cref="IOException">The file or its directory cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission was denied.</exception>
    public static async Task WriteAsync(
        string path,
        byte[] content,
        CancellationToken cancellationToken)
    {
        string target = ResolveTarget(path);
        string directory = Path.GetDirectoryName(target)!;

        // Same directory as the target, so the rename stays on one file system and is atomic.
        string tempName = $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp";
        string temp = Path.Combine(directory, tempName);

        CreateDirectory(directory);
        try
        {
            await WriteNewFileAsync(temp, content, cancellationToken).ConfigureAwait(false);
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// The real file behind a symlink (dotfile managers link config.json), so the rename
    /// updates the linked file instead of replacing the link with a plain file.
    /// </summary>
    private static string ResolveTarget(string path)
    {
        var info = new FileInfo(path);
        if (info.Directory?.Exists == true && info.LinkTarget is not null
            && info.ResolveLinkTarget(returnFinalTarget: true) is FileSystemInfo linked)
        {
            return linked.FullName;
        }

        return path;
    }

    private static async Task WriteNewFileAsync(
        string path,
        byte[] content,
        CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, NewFile.Options(FileAccess.Write, OwnerReadWrite));
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);

            // Flush to disk before the rename, or a crash could leave an empty config behind.
            stream.Flush(flushToDisk: true);
        }
    }

    private static void CreateDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temp file is hidden, and the next write uses a new name.
        }
    }
}
