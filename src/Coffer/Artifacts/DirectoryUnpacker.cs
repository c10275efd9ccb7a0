using System.Formats.Tar;
using System.IO.Compression;
using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Artifacts;

/// <summary>
/// Unpacks a verified directory layer into a fresh staging folder, refusing every entry that
/// could write outside it (ORAS bugs section 5: names with <c>..</c> or a root, entries outside
/// the title, links that lead out, writes through an earlier link, devices and FIFOs).
/// </summary>
internal static class DirectoryUnpacker
{
    private const UnixFileMode PermissionBits = (UnixFileMode)0x1FF;

    /// <summary>Unpacks <paramref name="archive"/> into <paramref name="top"/>, which must be empty.</summary>
    /// <returns>The modes of the folders (by path below the top), to apply once they are in place.</returns>
    public static Dictionary<string, UnixFileMode> Extract(
        string archive, string title, string top, Digest expected, PullRequest request, string operation)
    {
        var folderModes = new Dictionary<string, UnixFileMode>(StringComparer.Ordinal);
        var files = new HashSet<string>(StringComparer.Ordinal);
        var titleDepth = title.Split('/').Length;
        long total = 0;
        var count = 0;
        var slack = (request.MaxExtractEntries + 1L) * 8192 + (1 << 20);
        using var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new HashingStream(gzip, leaveOpen: true,
            request.MaxExtractSize > long.MaxValue - slack ? long.MaxValue : request.MaxExtractSize + slack);
        try
        {
            using var reader = new TarReader(tar, leaveOpen: true);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
                {
                    continue;
                }

                if (++count > request.MaxExtractEntries)
                {
                    throw new CofferException(
                        $"{operation}: layer '{title}' holds more than {request.MaxExtractEntries} entries",
                        "if you trust the producer, raise the limit with --max-extract-entries");
                }

                var relative = Relative(entry.Name, title, operation);
                var depth = titleDepth + relative.Count(c => c == '/') + (relative.Length > 0 ? 1 : 0) - 1;
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Folder(top, relative, entry.Name, title, operation);
                        folderModes[relative] = entry.Mode & PermissionBits;
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        total += entry.Length;
                        CheckSize(total, request, title, operation);
                        WriteFile(top, relative, entry, request, operation, title, source: null);
                        files.Add(relative);
                        break;
                    case TarEntryType.SymbolicLink:
                        if (LinkTarget.Problem(depth, entry.LinkName) is { } problem)
                        {
                            throw Refused(operation, title, entry.Name, problem);
                        }

                        File.CreateSymbolicLink(Leaf(top, relative, entry.Name, title, operation), entry.LinkName);
                        break;
                    case TarEntryType.HardLink:
                        // A hard link names another member of the archive; only a file this layer
                        // already wrote is accepted, and it is copied, never linked.
                        var source = Relative(entry.LinkName, title, operation, entry.Name);
                        if (!files.Contains(source))
                        {
                            throw Refused(operation, title, entry.Name,
                                $"it is a hard link to '{entry.LinkName}', which is not a file earlier in the layer");
                        }

                        total += new FileInfo(Path.Combine(top, source)).Length;
                        CheckSize(total, request, title, operation);
                        WriteFile(top, relative, entry, request, operation, title, Path.Combine(top, source));
                        files.Add(relative);
                        break;
                    default:
                        throw Refused(operation, title, entry.Name,
                            $"it is a {entry.EntryType} entry; a directory layer holds only files, folders and links");
                }
            }

            tar.CopyTo(Stream.Null);
        }
        // TarReader reports a base-256 number too large for its field as an OverflowException.
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException
            or OverflowException)
        {
            throw new CofferException($"{operation}: layer '{title}' is not a valid tar+gzip archive: {e.Message}",
                "the producer wrote a damaged layer; nothing was written", ExitCodes.VerificationFailed);
        }

        var actual = tar.Digest();
        if (actual != expected)
        {
            throw new CofferException(
                $"{operation}: the unpacked tar of '{title}' has digest {actual}, but its " +
                $"{AnnotationKeys.ContentDigest} annotation says {expected}",
                "the layer does not match its manifest; nothing was written", ExitCodes.VerificationFailed);
        }

        return folderModes;
    }

    // The entry's path below the title, with '.' parts and the trailing '/' dropped.
    private static string Relative(string name, string title, string operation, string? linkOf = null)
    {
        var shown = linkOf ?? name;
        if (name.Contains('\0', StringComparison.Ordinal) || name.Length == 0)
        {
            throw Refused(operation, title, shown, "a name is empty or holds a NUL character");
        }

        if (name.StartsWith('/') || name.StartsWith('\\') || (name.Length > 1 && name[1] == ':'))
        {
            throw Refused(operation, title, shown, $"'{name}' is an absolute path");
        }

        var parts = name.Split('/').Where(p => p.Length > 0 && p != ".").ToArray();
        if (parts.Any(p => p == ".."))
        {
            throw Refused(operation, title, shown, $"'{name}' climbs with '..'");
        }

        var normal = string.Join('/', parts);
        if (normal == title)
        {
            return "";
        }

        return normal.StartsWith(title + "/", StringComparison.Ordinal)
            ? normal[(title.Length + 1)..]
            : throw Refused(operation, title, shown, $"'{name}' is outside the folder '{title}/'");
    }

    // Creates the folders of a relative path one level at a time, refusing any part that is a
    // link or a file: Directory.CreateDirectory alone would follow a link.
    private static string Folder(string top, string relative, string name, string title, string operation)
    {
        var current = top;
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            if (new FileInfo(current).LinkTarget is not null)
            {
                throw Refused(operation, title, name, $"it would be written through the link '{part}'");
            }

            if (File.Exists(current))
            {
                throw Refused(operation, title, name, $"'{part}' is a file, not a folder");
            }

            if (!Directory.Exists(current))
            {
                Directory.CreateDirectory(current);
            }
        }

        return current;
    }

    private static string Leaf(string top, string relative, string name, string title, string operation)
    {
        if (relative.Length == 0)
        {
            throw Refused(operation, title, name, "it is not a folder, yet names the layer's own folder");
        }

        var slash = relative.LastIndexOf('/');
        var folder = Folder(top, slash < 0 ? "" : relative[..slash], name, title, operation);
        var path = Path.Combine(folder, relative[(slash + 1)..]);
        if (File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            throw Refused(operation, title, name, "an earlier entry has the same name");
        }

        return path;
    }

    private static void WriteFile(string top, string relative, TarEntry entry, PullRequest request,
        string operation, string title, string? source)
    {
        var path = Leaf(top, relative, entry.Name, title, operation);

        // CreateNew fails on anything already there, a link included, so nothing is followed.
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        if (source is not null)
        {
            using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read);
            input.CopyTo(output);
        }
        else if (entry.DataStream is { } data)
        {
            data.CopyTo(output);
        }

        if (request.PreservePermissions && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(output.SafeFileHandle, entry.Mode & PermissionBits);
        }
    }

    private static void CheckSize(long total, PullRequest request, string title, string operation)
    {
        if (total > request.MaxExtractSize)
        {
            throw new CofferException(
                $"{operation}: layer '{title}' unpacks to more than {request.MaxExtractSize} bytes",
                "if you trust the producer, raise the limit with --max-extract-size");
        }
    }

    private static CofferException Refused(string operation, string title, string name, string why) => new(
        $"{operation}: refusing to unpack entry '{name}' of layer '{title}': {why}",
        "the layer tries to write outside its folder, or holds what a folder must not; nothing was written");
}
