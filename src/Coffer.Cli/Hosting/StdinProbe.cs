namespace Coffer.Cli.Hosting;

/// <summary>
/// Tells whether the process was started with stdin closed (<c>&lt;&amp;-</c>). The runtime then
/// hands the free descriptor 0 to a pipe of its own (the one its signal handling reads), and
/// reading "stdin" would swallow the signals and block forever.
/// </summary>
internal static class StdinProbe
{
    public static bool WasClosed()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            var zero = new FileInfo("/proc/self/fd/0").LinkTarget;
            if (zero is null)
            {
                return true;
            }

            if (!zero.StartsWith("pipe:", StringComparison.Ordinal))
            {
                return false;
            }

            // A process never holds the write end of the pipe it reads its stdin from; if it does,
            // the pipe is the runtime's own.
            return Directory.EnumerateFileSystemEntries("/proc/self/fd")
                .Where(f => Path.GetFileName(f) != "0" && new FileInfo(f).LinkTarget == zero)
                .Any(f => IsWriteEnd(Path.GetFileName(f)));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsWriteEnd(string descriptor)
    {
        foreach (var line in File.ReadLines($"/proc/self/fdinfo/{descriptor}"))
        {
            if (line.StartsWith("flags:", StringComparison.Ordinal))
            {
                var flags = Convert.ToInt32(line[6..].Trim(), 8);
                return (flags & 3) == 1;
            }
        }

        return false;
    }
}
