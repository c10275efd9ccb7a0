using System.Runtime.InteropServices;

namespace Coffer.Artifacts;

/// <summary>
/// What kind of file a path names, following symbolic links: a regular file, a folder, or
/// something else (a FIFO, a device, a socket). .NET reports only files and folders, and opening
/// a FIFO to find out blocks until a writer appears.
/// </summary>
internal static partial class FileKind
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1;
    private const ushort TypeMask = 0xF000;
    private const ushort Regular = 0x8000;
    private const ushort Folder = 0x4000;

    /// <summary>True when the path exists and is neither a regular file nor a folder.</summary>
    public static bool IsSpecial(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        // struct statx is the same on every Linux architecture; stx_mode is at byte 28.
        var buffer = new byte[256];
        if (Statx(AtCurrentDirectory, path, 0, StatxType, buffer) != 0)
        {
            return false;
        }

        var type = (ushort)(BitConverter.ToUInt16(buffer, 28) & TypeMask);
        return type is not (Regular or Folder);
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);
}
