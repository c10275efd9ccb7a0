namespace Coffer.IO;

/// <summary>How Coffer opens a file it creates: never over an existing one, with its mode set at creation.</summary>
internal static class NewFile
{
    /// <summary>Readable by all, writable by the owner: files pulled or written into a layout.</summary>
    public const UnixFileMode Shared = UnixFileMode.UserRead | UnixFileMode.UserWrite
        | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Options that create the file (failing if it exists), for asynchronous use, shared with no
    /// one. The mode is part of the create call itself, so there is no moment between creating the
    /// file and a later chmod in which others could open it.
    /// </summary>
    /// <param name="access">Write, or read and write.</param>
    /// <param name="mode">The Unix mode; null leaves it to the umask.</param>
    /// <param name="unbuffered">No FileStream buffer, for callers that write large spans themselves.</param>
    public static FileStreamOptions Options(FileAccess access, UnixFileMode? mode, bool unbuffered = false)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = access,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        if (unbuffered)
        {
            options.BufferSize = 0;
        }

        if (mode is { } unix && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = unix;
        }

        return options;
    }
}
