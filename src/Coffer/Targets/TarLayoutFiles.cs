using System.Formats.Tar;
using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Targets;

/// <summary>
/// A layout packed in a tar file, read in place: the headers are read once to find where each
/// file's bytes are, and reads seek there. Only regular files count; links, devices and any name
/// that is not a layout file are ignored, so nothing in the tar is ever extracted or followed.
/// </summary>
internal sealed class TarLayoutFiles : LayoutFiles
{
    // A layout tar has a few files per blob; this bounds what one header scan may keep.
    private const int MaxEntries = 1_000_000;

    private readonly Dictionary<string, (long Offset, long Length)> _entries = new(StringComparer.Ordinal);

    private TarLayoutFiles(string file)
    {
        Location = file;
    }

    public override string Location { get; }

    /// <summary>Reads the tar's headers.</summary>
    /// <exception cref="CofferException">The file is not a readable tar.</exception>
    public static TarLayoutFiles Open(string file, string operation)
    {
        var layout = new TarLayoutFiles(file);
        try
        {
            using var stream = File.OpenRead(file);
            using var reader = new TarReader(stream);
            var count = 0;
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                if (++count > MaxEntries)
                {
                    throw new CofferException($"{operation}: {file} holds more than {MaxEntries} entries");
                }

                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile
                    && entry.DataOffset >= 0)
                {
                    layout._entries[Normalize(entry.Name)] = (entry.DataOffset, entry.Length);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new CofferException($"{operation}: {file} is not a readable tar: {e.Message}",
                IsGzip(file)
                    ? "it is gzip-compressed, and Coffer reads a layout tar as it is; decompress it first (gunzip)"
                    : "give a tar of an OCI layout (oci-layout, index.json and blobs/ at its top), or a folder");
        }

        return layout;
    }

    public override byte[]? ReadTop(string name, int limit, string operation)
    {
        if (!_entries.TryGetValue(name, out var entry))
        {
            return null;
        }

        using var stream = Open(entry, 0);
        return ReadBounded(stream, name, limit, operation);
    }

    public override long? BlobSize(Digest digest) =>
        _entries.TryGetValue(BlobName(digest), out var entry) ? entry.Length : null;

    public override Stream? OpenBlob(Digest digest, long offset, string operation) =>
        _entries.TryGetValue(BlobName(digest), out var entry) ? Open(entry, offset) : null;

    /// <summary>
    /// The folder of the tar that holds <paramref name="name"/> one level down, or null: a tar made
    /// of the layout folder itself (<c>tar -cf x.tar layout</c>) has it there instead of at the top.
    /// </summary>
    public string? FolderHolding(string name) => _entries.Keys
        .Select(key => key.Split('/'))
        .FirstOrDefault(parts => parts.Length == 2 && parts[1] == name && parts[0].Length > 0)?[0];

    private BoundedReadStream Open((long Offset, long Length) entry, long offset)
    {
        var file = new FileStream(Location, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            BufferSize = 0,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
        var start = Math.Min(offset, entry.Length);
        file.Seek(entry.Offset + start, SeekOrigin.Begin);
        return new BoundedReadStream(file, entry.Length - start);
    }

    private static bool IsGzip(string file)
    {
        Span<byte> magic = stackalloc byte[2];
        using var stream = File.OpenRead(file);
        return stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static string BlobName(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Hex}";

    // Tars made with "tar -C layout ." name their entries ./index.json.
    private static string Normalize(string name)
    {
        while (name.StartsWith("./", StringComparison.Ordinal))
        {
            name = name[2..];
        }

        return name;
    }
}
