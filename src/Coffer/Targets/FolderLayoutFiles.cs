using Coffer.Artifacts;
using Coffer.Content;
using Coffer.Errors;
using Coffer.IO;

namespace Coffer.Targets;

/// <summary>
/// A layout kept in a folder: <c>oci-layout</c>, <c>index.json</c> and <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c>.
/// Every write goes to a temporary name in the folder it belongs to and is renamed into place,
/// so a reader sees the old file or the new one, never half of one.
/// </summary>
internal sealed class FolderLayoutFiles : LayoutFiles
{
    private const string TemporaryPrefix = ".coffer-";

    public FolderLayoutFiles(string folder)
    {
        Location = folder;
    }

    public override string Location { get; }

    public override byte[]? ReadTop(string name, int limit, string operation)
    {
        var path = Path.Combine(Location, name);
        RefuseSpecial(path, $"{operation}: the layout's {name}");
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        using (file)
        {
            return ReadBounded(file, name, limit, operation);
        }
    }

    public override long? BlobSize(Digest digest)
    {
        var info = new FileInfo(BlobPath(digest));
        return info.Exists ? info.Length : null;
    }

    public override Stream? OpenBlob(Digest digest, long offset, string operation)
    {
        RefuseSpecial(BlobPath(digest), $"{operation}: the layout's blob {digest}");
        FileStream file;
        try
        {
            file = new FileStream(BlobPath(digest), new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                BufferSize = 0,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        if (offset > 0)
        {
            file.Seek(offset, SeekOrigin.Begin);
        }

        return file;
    }

    /// <summary>True when the folder has no entries (or does not exist).</summary>
    public bool IsEmpty() => !Directory.Exists(Location) || !Directory.EnumerateFileSystemEntries(Location).Any();

    /// <summary>Creates the folder, its <c>oci-layout</c> file and an empty <c>index.json</c> when missing.</summary>
    public void Initialize(byte[] marker, byte[] emptyIndex)
    {
        Directory.CreateDirectory(Location);
        if (!File.Exists(Path.Combine(Location, "oci-layout")))
        {
            ReplaceTop("oci-layout", marker);
        }

        if (!File.Exists(Path.Combine(Location, "index.json")))
        {
            ReplaceTop("index.json", emptyIndex);
        }
    }

    /// <summary>Creates a new temporary file beside where the blob will go, and returns it open for writing.</summary>
    public (FileStream File, string Path) CreateTemporaryBlob(Digest digest)
    {
        var folder = BlobFolder(digest);
        var path = Path.Combine(folder, $"{TemporaryPrefix}{Guid.NewGuid():N}.partial");
        return (new FileStream(path, NewFile.Options(FileAccess.ReadWrite, NewFile.Shared, unbuffered: true)), path);
    }

    /// <summary>Renames a verified temporary file to the blob's name.</summary>
    public void CommitBlob(string temporary, Digest digest) => File.Move(temporary, BlobPath(digest), overwrite: true);

    /// <summary>Deletes a blob; returns false when it was not there.</summary>
    public bool DeleteBlob(Digest digest)
    {
        var path = BlobPath(digest);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>
    /// Removes what a write made: these blobs and top files, then the blob folders and the made
    /// folders (the deepest first) that are left empty. A folder that holds anything else stays.
    /// Only for a layout the write made itself: an empty blob folder is taken for one of its own.
    /// </summary>
    public void Remove(
        IEnumerable<Digest> blobs, IEnumerable<string> topFiles, IEnumerable<string> madeFolders)
    {
        foreach (var path in blobs.Select(BlobPath).Concat(topFiles.Select(n => Path.Combine(Location, n))))
        {
            File.Delete(path);
        }

        // A blob folder is made before its first blob arrives, so one may be empty without a blob.
        var blobFolder = Path.Combine(Location, "blobs");
        var algorithms = Directory.Exists(blobFolder) ? Directory.GetDirectories(blobFolder) : [];
        foreach (var folder in algorithms.Append(blobFolder).Concat(madeFolders))
        {
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }
    }

    /// <summary>Replaces a top file: written and flushed to disk under a temporary name, then renamed.</summary>
    public void ReplaceTop(string name, byte[] content)
    {
        var temporary = Path.Combine(Location, $"{TemporaryPrefix}{name}-{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(content);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path.Combine(Location, name), overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Fails when a path is a FIFO, device or socket: opening a FIFO waits for a writer that may
    /// never come (and no signal ends that wait), and a device has no fixed content.
    /// </summary>
    public static void RefuseSpecial(string path, string what)
    {
        if (FileKind.IsSpecial(path))
        {
            throw new CofferException($"{what} ({path}) is a FIFO, device or socket, not a file",
                "the layout was altered; do not use it", ExitCodes.VerificationFailed);
        }
    }

    private string BlobPath(Digest digest) => Path.Combine(Location, "blobs", digest.Algorithm, digest.Hex);

    // A blobs folder that is a link would send writes somewhere the layout's owner did not choose.
    private string BlobFolder(Digest digest)
    {
        var blobs = Path.Combine(Location, "blobs");
        var folder = Path.Combine(blobs, digest.Algorithm);
        foreach (var path in new[] { blobs, folder })
        {
            var info = new DirectoryInfo(path);
            if (info.LinkTarget is not null)
            {
                throw new CofferException(
                    $"{path} is a symbolic link; Coffer writes a layout's blobs only into real folders",
                    "replace the link with a folder, or write to another layout");
            }

            if (!info.Exists)
            {
                Directory.CreateDirectory(path);
            }
        }

        return folder;
    }
}
