using System.Formats.Tar;
using System.IO.Compression;
using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Artifacts;

/// <summary>
/// Packs a folder into the gzip-compressed tar that ORAS pushes for a directory argument, so
/// that the same tree always gives the same bytes.
/// <list type="number">
/// <item>Step 1: walk the tree without following links, and sort the entries by path.</item>
/// <item>Step 2: write PAX entries named <c>title/…</c> with uid and gid 0, no user or group
/// names, the mode without setuid and setgid, and one fixed time when one is given.</item>
/// <item>Step 3: gzip them (the header holds no time or name) while hashing the plain tar.</item>
/// </list>
/// </summary>
internal static class DirectoryPacker
{
    private const UnixFileMode KeptModeBits = (UnixFileMode)0x3FF | UnixFileMode.StickyBit;

    /// <summary>Packs <paramref name="folder"/> into <paramref name="archive"/>.</summary>
    /// <param name="folder">The folder to pack.</param>
    /// <param name="title">The layer title; every entry name starts with it.</param>
    /// <param name="time">The modification time of every entry, or null to keep each file's own.</param>
    /// <param name="checkLinks">Refuse links that pullers would refuse.</param>
    /// <param name="archive">The file to write; it must not exist.</param>
    /// <returns>The digest of the uncompressed tar.</returns>
    public static Digest Pack(string folder, string title, DateTimeOffset? time, bool checkLinks, string archive)
    {
        // Step 1.
        var entries = new List<(string Name, FileSystemInfo Info)> { (title + "/", new DirectoryInfo(folder)) };
        Walk(new DirectoryInfo(folder), title, entries);
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));

        // Step 2 and 3.
        using var file = new FileStream(archive, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        using var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true);
        using var tar = new HashingStream(gzip, leaveOpen: true);
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, info) in entries)
            {
                var entry = Entry(name, info, time, checkLinks);
                using (entry.DataStream)
                {
                    writer.WriteEntry(entry);
                }
            }
        }

        tar.Flush();
        return tar.Digest();
    }

    private static void Walk(DirectoryInfo folder, string prefix, List<(string, FileSystemInfo)> entries)
    {
        var options = new EnumerationOptions
        {
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
            RecurseSubdirectories = false,
            ReturnSpecialDirectories = false,
        };
        foreach (var info in folder.EnumerateFileSystemInfos("*", options))
        {
            var name = $"{prefix}/{info.Name}";
            if (info.LinkTarget is null && info is DirectoryInfo child)
            {
                entries.Add((name + "/", info));
                Walk(child, name, entries);
            }
            else
            {
                entries.Add((name, info));
            }
        }
    }

    private static PaxTarEntry Entry(string name, FileSystemInfo info, DateTimeOffset? time, bool checkLinks)
    {
        PaxTarEntry entry;
        if (info.LinkTarget is { } target)
        {
            var depth = name.Count(c => c == '/');
            if (checkLinks && LinkTarget.Problem(depth, target) is { } problem)
            {
                throw new UsageException(
                    $"'{info.FullName}' is a symbolic link, and pullers would refuse it: {problem}; make the link " +
                    "relative and inside the folder, or pass --disable-path-validation");
            }

            entry = new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target };
        }
        else if (info is DirectoryInfo)
        {
            entry = new PaxTarEntry(TarEntryType.Directory, name);
        }
        else if (FileKind.IsSpecial(info.FullName))
        {
            throw new UsageException(
                $"'{info.FullName}' is a FIFO, socket or device; a directory layer holds only files, folders and " +
                "links, so remove it or push the files by name");
        }
        else
        {
            entry = new PaxTarEntry(TarEntryType.RegularFile, name)
            {
                DataStream = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read),
            };
        }

        entry.Uid = 0;
        entry.Gid = 0;
        entry.UserName = "";
        entry.GroupName = "";
        entry.ModificationTime = time ?? new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
        if (entry.EntryType == TarEntryType.SymbolicLink)
        {
            entry.Mode = (UnixFileMode)0x1FF;
        }
        else if (!OperatingSystem.IsWindows())
        {
            entry.Mode = info.UnixFileMode & KeptModeBits;
        }
        else
        {
            entry.Mode = (UnixFileMode)(info is DirectoryInfo ? 0x1ED : 0x1A4);
        }

        return entry;
    }
}
