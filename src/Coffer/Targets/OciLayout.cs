using System.Text.Json;
using Coffer.Artifacts;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;

namespace Coffer.Targets;

/// <summary>
/// An OCI image layout (image-spec, "OCI Image Layout Specification") as a target: a folder, read
/// and written, or a tar of one, read only. Tags are the <c>org.opencontainers.image.ref.name</c>
/// annotations of <c>index.json</c>; every manifest pushed is listed there, tagged or not, so
/// referrers are found by scanning it.
/// <list type="bullet">
/// <item>Blobs are written under a temporary name and renamed only once their digest and size are
/// verified; <c>index.json</c> is replaced by writing a temporary file and renaming it.</item>
/// <item>Everything read is checked against its digest; manifests and <c>index.json</c> are read
/// with a size bound, whatever a descriptor claims.</item>
/// <item>Blob paths are built only from parsed digests, so nothing in the layout names a path.</item>
/// </list>
/// </summary>
public sealed partial class OciLayout : ITarget, IDisposable
{
    /// <summary>The largest <c>index.json</c> Coffer reads.</summary>
    public const int MaxIndexBytes = 16 * 1024 * 1024;

    private const string MarkerFile = "oci-layout";
    private const string IndexFile = "index.json";
    private const string LayoutVersion = "1.0.0";

    private readonly LayoutFiles _files;
    private readonly FolderLayoutFiles? _folder;
    private readonly SemaphoreSlim _indexGate = new(1, 1);
    private bool _initialized;

    private OciLayout(LayoutFiles files, string name, bool initialized)
    {
        _files = files;
        _folder = files as FolderLayoutFiles;
        Name = name;
        _initialized = initialized;
    }

    /// <summary>The layout as messages name it: the path as it was given.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public TargetKind Kind => TargetKind.OciLayout;

    /// <summary>The layout's folder or tar file, as a full path.</summary>
    public string Location => _files.Location;

    /// <summary>True for a tar, which Coffer reads but does not write.</summary>
    public bool IsTar => _folder is null;

    /// <summary>
    /// Opens a layout. A path that is a file is read as a tar. For writing, a missing or empty
    /// folder becomes a layout on the first write; any other folder must already be one.
    /// </summary>
    /// <param name="path">The folder or tar file.</param>
    /// <param name="writable">True when the command will write to it.</param>
    /// <param name="name">How messages name it; the path when null.</param>
    /// <exception cref="UsageException">The path is no layout, or a tar is opened for writing.</exception>
    public static OciLayout Open(string path, bool writable, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        name ??= path;
        var operation = $"open layout {name}";
        if (FileKind.IsSpecial(full))
        {
            // Opening a FIFO to read it as a tar would wait for a writer forever.
            throw new UsageException(
                $"{name} is a FIFO, device or socket; name a layout folder or a tar file of one");
        }

        if (File.Exists(full) || (writable && full.EndsWith(".tar", StringComparison.OrdinalIgnoreCase)))
        {
            if (writable)
            {
                throw new UsageException(File.Exists(full)
                    ? $"{name} is a file: Coffer reads tar layouts but does not write them, and writes layouts " +
                        "only into folders; extract a tar into a folder (tar -xf) and name the folder, or name " +
                        "a new folder"
                    : $"{name} names a tar file, and Coffer reads tar layouts but does not write them; name a " +
                        "new folder (and tar it afterwards if a tar is needed)");
            }

            var tar = new OciLayout(TarLayoutFiles.Open(full, operation), name, initialized: true);
            tar.CheckMarker(operation);
            return tar;
        }

        var folder = new FolderLayoutFiles(full);
        var layout = new OciLayout(folder, name, initialized: true);
        if (File.Exists(Path.Combine(full, MarkerFile)))
        {
            layout.CheckMarker(operation);
            return layout;
        }

        if (!Directory.Exists(full))
        {
            if (!writable)
            {
                throw new UsageException($"there is no OCI layout at {name}: the folder does not exist");
            }

            RefuseFileAbove(full, name);
            layout._madeFolders = MissingFolders(full);
        }
        else if (!writable || !folder.IsEmpty())
        {
            throw new UsageException(
                $"{name} is not an OCI image layout: it has no oci-layout file" +
                (writable ? " and is not empty" : "") +
                "; name a layout folder (oci-layout, index.json, blobs/), a tar of one, or a new folder");
        }

        layout._initialized = false;
        return layout;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _indexGate.Dispose();
        _files.Dispose();
    }

    /// <inheritdoc/>
    public async Task<FetchedManifest> FetchManifestAsync(
        string tagOrDigest, string operation, CancellationToken cancellationToken = default)
    {
        var index = await ReadIndexAsync(operation, cancellationToken).ConfigureAwait(false);
        Descriptor? entry;
        Digest digest;
        if (Digest.TryParse(tagOrDigest, out var asked, out _))
        {
            digest = asked;
            entry = index.FindDigest(asked);
        }
        else
        {
            entry = index.FindTag(tagOrDigest) ?? throw MissingTag(Name, tagOrDigest, operation);
            digest = ParseEntry(entry, operation);
        }

        var content = ReadManifest(digest, operation) ?? throw new CofferException(
            $"{operation}: the layout has no manifest {digest}",
            "check the tag or digest; a layout that lists a missing manifest is damaged");
        if (entry is not null && entry.Size != content.Length)
        {
            throw new CofferException(
                $"{operation}: index.json says manifest {digest} is {entry.Size} bytes, but it is {content.Length}",
                "the layout was altered; do not use it", ExitCodes.VerificationFailed);
        }

        var fields = Probe(content);
        if (entry?.MediaType is { Length: > 0 } claimed && Contradicts(claimed, fields))
        {
            throw new CofferException(
                $"{operation}: index.json lists manifest {digest} as {claimed}, but it is " +
                $"{fields!.KindOf()}",
                "the layout was altered; do not use it", ExitCodes.VerificationFailed);
        }

        // A blob that index.json does not list and that is no manifest is not found, as a registry says.
        var mediaType = entry?.MediaType is { Length: > 0 } listed ? listed : fields?.KindOf();
        if (entry is null && mediaType is null)
        {
            throw new CofferException($"{operation}: the layout has no manifest {digest}",
                "the digest names a blob, not a manifest; fetch it with coffer blob fetch");
        }

        return new FetchedManifest(content, mediaType ?? MediaTypes.ImageManifest, digest);
    }

    /// <summary>The error for a tag that no entry of a layout's <c>index.json</c> carries.</summary>
    /// <param name="name">The layout as messages name it.</param>
    /// <param name="tag">The tag asked for.</param>
    /// <param name="operation">What the lookup was part of.</param>
    public static CofferException MissingTag(string name, string tag, string operation) => new(
        $"{operation}: tag '{tag}' is not in the layout's index.json",
        $"list its tags with coffer repo tags --oci-layout {name}");

    /// <inheritdoc/>
    public async Task<Descriptor?> ResolveAsync(
        string tagOrDigest, string operation, CancellationToken cancellationToken = default)
    {
        var index = await ReadIndexAsync(operation, cancellationToken).ConfigureAwait(false);
        if (!Digest.TryParse(tagOrDigest, out var digest, out _))
        {
            return index.FindTag(tagOrDigest) is { } tagged
                ? new Descriptor
                {
                    MediaType = tagged.MediaType,
                    Digest = ParseEntry(tagged, operation).ToString(),
                    Size = tagged.Size,
                }
                : null;
        }

        if (index.FindDigest(digest) is { } entry)
        {
            return new Descriptor { MediaType = entry.MediaType, Digest = entry.Digest, Size = entry.Size };
        }

        // A manifest that an index names but index.json does not list; a blob that is no manifest is
        // not found, as a registry would say.
        if (_files.BlobSize(digest) is not { } size || size > Repository.MaxManifestBytes)
        {
            return null;
        }

        var content = ReadManifest(digest, operation);
        return content is not null && Probe(content)?.KindOf() is { } kind
            ? new Descriptor { MediaType = kind, Digest = digest.ToString(), Size = content.Length }
            : null;
    }

    /// <summary>
    /// Stores a manifest and lists it in <c>index.json</c>, under the tag (replacing what the tag
    /// pointed at) or untagged. The blobs it names must be in the layout already.
    /// </summary>
    /// <returns>The digest; the subject counts as indexed, since listing referrers scans the layout.</returns>
    public async Task<PushedManifest> PushManifestAsync(
        string tagOrDigest, byte[] content, string mediaType, string operation,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var folder = Writable(operation);
        var digest = Digest.Compute(content);
        var byDigest = Digest.TryParse(tagOrDigest, out var given, out _);
        if (byDigest && given != digest)
        {
            throw new CofferException(
                $"{operation}: the manifest's digest is {digest}, not {given}", null, ExitCodes.VerificationFailed);
        }

        if (!byDigest && !Reference.IsValidTag(tagOrDigest))
        {
            throw new UsageException($"'{tagOrDigest}' is not a valid tag");
        }

        if (content.Length > Repository.MaxManifestBytes)
        {
            throw new CofferException(
                $"{operation}: the manifest is {content.Length} bytes, over the " +
                $"{Repository.MaxManifestBytes / 1024 / 1024} MiB limit");
        }

        CheckReferences(content, operation);
        Initialize(folder);
        if (_files.BlobSize(digest) is null)
        {
            await WriteBlobAsync(folder, digest, content.Length, BlobSources.Seekable(() => new MemoryStream(content)),
                null, operation, cancellationToken).ConfigureAwait(false);
        }

        var descriptor = new Descriptor { MediaType = mediaType, Digest = digest.ToString(), Size = content.Length };
        await UpdateIndexAsync(folder, index =>
        {
            if (byDigest)
            {
                var added = index.AddUntagged(descriptor);
                if (added)
                {
                    _addedUntagged.Add(digest);
                }

                return added;
            }

            index.Tag(descriptor, tagOrDigest);
            return true;
        }, operation, cancellationToken).ConfigureAwait(false);
        return new PushedManifest(digest, SubjectIndexed: true);
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteManifestAsync(
        Digest digest, string operation, CancellationToken cancellationToken = default)
    {
        var folder = Writable(operation);
        var listed = 0;
        if (_initialized)
        {
            await UpdateIndexAsync(folder, index => (listed = index.Remove(digest)) > 0, operation,
                cancellationToken).ConfigureAwait(false);
        }

        return folder.DeleteBlob(digest) || listed > 0;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> TagsAsync(
        string? last, string operation, CancellationToken cancellationToken = default)
    {
        var index = await ReadIndexAsync(operation, cancellationToken).ConfigureAwait(false);
        return [.. index.Tags.Where(t => last is null || string.CompareOrdinal(t, last) > 0)];
    }

    private byte[]? ReadManifest(Digest digest, string operation)
    {
        using var stream = _files.OpenBlob(digest, 0, operation);
        if (stream is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > Repository.MaxManifestBytes)
            {
                throw new CofferException(
                    $"{operation}: manifest {digest} is larger than {Repository.MaxManifestBytes / 1024 / 1024} MiB; " +
                    "refusing to read it",
                    "a manifest this large is not an artifact Coffer made; check the reference");
            }

            buffer.Write(chunk, 0, read);
        }

        var content = buffer.ToArray();
        if (!digest.Matches(content))
        {
            throw new CofferException(
                $"{operation}: the layout's manifest {digest} does not match its digest",
                "the layout was altered; do not use it", ExitCodes.VerificationFailed);
        }

        return content;
    }

    // A registry refuses a manifest whose blobs it lacks; a layout holding one would be broken for
    // every reader, so the same rule applies here.
    private void CheckReferences(byte[] content, string operation)
    {
        var probe = Probe(content) ?? throw new CofferException(
            $"{operation}: the manifest is not a JSON object", "push an OCI manifest or index");
        var named = probe.Manifests ?? [.. probe.Config is null ? [] : new[] { probe.Config }, .. probe.Layers ?? []];
        foreach (var descriptor in named)
        {
            if (!Digest.TryParse(descriptor.Digest, out var digest, out var error))
            {
                throw new CofferException($"{operation}: the manifest names a bad digest: {error}");
            }

            if (_files.BlobSize(digest) is null)
            {
                throw new CofferException(
                    $"{operation}: the layout lacks {digest}, which the manifest names",
                    "push the blobs (and, for an index, the manifests) it names first");
            }
        }
    }

    private static ManifestFields? Probe(byte[] content) => ManifestFields.Parse(content);

    // A descriptor's media type must be the manifest's own (image-spec, "Descriptor"): read as the
    // kind index.json claims, an image manifest would be an index of nothing and pull nothing.
    private static bool Contradicts(string claimed, ManifestFields? fields)
    {
        if (fields?.MediaType is { Length: > 0 } stated)
        {
            return stated != claimed;
        }

        return fields is not null && (MediaTypes.IsIndex(claimed)
            ? fields.Manifests is null && fields.Layers is not null
            : MediaTypes.IsImageManifest(claimed) && fields.Layers is null && fields.Manifests is not null);
    }

    private static Digest ParseEntry(Descriptor entry, string operation) =>
        Digest.TryParse(entry.Digest, out var digest, out var error)
            ? digest
            : throw new CofferException($"{operation}: index.json lists a bad digest: {error}");

    private FolderLayoutFiles Writable(string operation) => _folder ?? throw new CofferException(
        $"{operation}: {Name} is a tar file, which Coffer reads but does not write",
        "extract it into a folder (tar -xf) and name the folder");

    // A new layout folder is made with its parents; one of them that is a file would otherwise
    // surface as a bare "could not find a part of the path" after the transfer started.
    private static void RefuseFileAbove(string full, string name)
    {
        for (var parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
            {
                throw new UsageException($"{name} cannot be a layout folder: {parent} is a file");
            }

            if (Directory.Exists(parent))
            {
                return;
            }
        }
    }

    private void CheckMarker(string operation)
    {
        var bytes = _files.ReadTop(MarkerFile, 64 * 1024, operation) ?? throw new UsageException(
            (_files as TarLayoutFiles)?.FolderHolding(MarkerFile) is { } folder
                ? $"{Name} holds the layout in {folder}/, not at its top; make the tar from inside the layout " +
                    $"folder (tar -cf {Path.GetFileName(Location)} -C {folder} .)"
                : $"{Name} is not an OCI image layout: it has no oci-layout file");
        LayoutMarker? marker;
        try
        {
            marker = JsonSerializer.Deserialize(bytes, TargetsJsonContext.Default.LayoutMarker);
        }
        catch (JsonException e)
        {
            throw new CofferException($"{operation}: the oci-layout file is not valid JSON: {e.Message}");
        }

        if (marker?.ImageLayoutVersion is not { } version || !version.StartsWith("1.", StringComparison.Ordinal))
        {
            throw new CofferException(
                $"{operation}: the layout's version is '{marker?.ImageLayoutVersion}', not 1.x",
                "Coffer reads and writes version 1.0.0 of the OCI image layout");
        }
    }

    private void Initialize(FolderLayoutFiles folder)
    {
        if (_initialized)
        {
            return;
        }

        // Only a layout opened in a missing or empty folder gets here: this object made it.
        _made = true;
        folder.Initialize(
            JsonSerializer.SerializeToUtf8Bytes(
                new LayoutMarker { ImageLayoutVersion = LayoutVersion }, TargetsJsonContext.Default.LayoutMarker),
            LayoutIndex.EmptyBytes());
        _initialized = true;
    }
}
