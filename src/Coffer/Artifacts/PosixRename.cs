using System.Runtime.InteropServices;

namespace Coffer.Artifacts;

/// <summary>
/// rename(2), which replaces a file or link at the destination without following either side.
/// File.Move refuses a link to a folder, and Directory.Move refuses an existing destination.
/// </summary>
internal static partial class PosixRename
{
    /// <summary>Moves <paramref name="source"/> over <paramref name="destination"/>.</summary>
    /// <exception cref="IOException">The rename failed.</exception>
    public static void Replace(string source, string destination)
    {
        if (OperatingSystem.IsWindows())
        {
            File.Move(source, destination, overwrite: true);
            return;
        }

        if (Rename(source, destination) != 0)
        {
            throw new IOException(
                $"could not move {source} to {destination} (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", EntryPoint = "rename", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Rename(string source, string destination);
}
