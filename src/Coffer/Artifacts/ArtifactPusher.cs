using System.Collections.Concurrent;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;
using Coffer.Targets;

namespace Coffer.Artifacts;

/// <summary>
/// Pushes files as one artifact.
/// <list type="number">
/// <item>Step 1: check every path (a folder is packed into a temporary archive).</item>
/// <item>Step 2: upload the empty config and the layers the registry lacks, in parallel: a small
/// file is hashed and then HEAD-checked; a file above the chunk threshold uploads while a second
/// read hashes it, and is committed only if the HEAD that follows finds it missing.</item>
/// <item>Step 3: put the manifest under the first tag, then under each extra tag.</item>
/// </list>
/// </summary>
public sealed class ArtifactPusher
{
    private const int HashBufferSize = 1024 * 1024;

    private readonly ITarget _target;
    private readonly ITransferObserver _observer;

    /// <summary>Creates a pusher to a registry repository or an OCI layout.</summary>
    public ArtifactPusher(ITarget target, ITransferObserver? observer = null)
    {
        _target = target;
        _observer = observer ?? NullObserver.Instance;
    }

    /// <summary>Pushes the files and tags the manifest.</summary>
    /// <param name="request">The files and annotations.</param>
    /// <param name="tags">The tags; empty to push by digest only.</param>
    /// <param name="cancellationToken">Cancels the push.</param>
    public async Task<PushResult> PushAsync(
        PushRequest request, IReadOnlyList<string> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(tags);
        var operation = $"push {_target.Describe(tags.Count > 0 ? tags[0] : null)}";

        // Step 1: a folder is packed into a temporary file here, deleted once the push ends.
        var files = new List<LocatedFile>();
        try
        {
            foreach (var file in request.Files)
            {
                files.Add(Locate(file, request));
            }

            return await PushLocatedAsync(request, files, tags, operation, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var file in files.Where(f => f.TarDigest is not null))
            {
                File.Delete(file.FullPath);
            }
        }
    }

    private async Task<PushResult> PushLocatedAsync(PushRequest request, List<LocatedFile> files,
        IReadOnlyList<string> tags, string operation, CancellationToken cancellationToken)
    {
        // A title the annotation file gives is what pullers see, so it gets the checks a path gets.
        var titles = files.Select(f => request.FileAnnotations.TryGetValue(f.Title, out var extra)
            && extra.TryGetValue(AnnotationKeys.Title, out var given) ? given : f.Title).ToList();
        var duplicate = titles.GroupBy(t => t, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new UsageException(
                $"two files would both be titled '{duplicate.Key}'; push them under distinct names");
        }

        for (var i = 0; i < files.Count && !request.DisablePathValidation; i++)
        {
            if (titles[i] != files[i].Title && PathSafety.Refusal(titles[i]) is { } why)
            {
                throw new UsageException(
                    $"--annotation-file titles '{files[i].Title}' '{titles[i]}', which pullers would refuse " +
                    $"({why}); give it a relative title inside the folder, or pass --disable-path-validation");
            }
        }

        var unknown = request.FileAnnotations.Keys
            .FirstOrDefault(k => k is not ("$manifest" or "$config") && files.All(f => f.Title != k));
        if (unknown is not null)
        {
            throw new UsageException(
                $"--annotation-file names '{unknown}', which is not among the files pushed; keys are file " +
                "titles (as the files are named on the command line), $manifest or $config");
        }

        var (config, configContent) = Config(request);
        var writeTimes = files.Select(f => File.GetLastWriteTimeUtc(f.FullPath)).ToList();
        var sizes = files.Select(f => new FileInfo(f.FullPath).Length).ToList();

        // Step 2: every blob starts as soon as it can. The empty config goes first (with a credential,
        // its first request settles how to authenticate while the files are read), a small file once
        // it is hashed, a large one at once, hashed while it uploads. Meanwhile the JSON metadata the
        // manifest of step 3 needs is built.
        ContentJsonContext.Prepare();
        using var gate = new SemaphoreSlim(Math.Max(1, request.Concurrency));
        var uploads = new ConcurrentDictionary<string, Lazy<Task<bool>>>(StringComparer.Ordinal);
        var configUpload = Limited(gate, () => UploadAsync(config, config.MediaType,
            () => new MemoryStream(configContent), uploads, operation, cancellationToken));

        // Only a registry can take a blob before its digest is known; a layout names blobs by digest.
        var layerUploads = files
            .Select((file, i) => Limited(gate, () => _target is Repository repository
                && sizes[i] > repository.ChunkThreshold
                ? UploadWhileHashingAsync(repository, file, sizes[i], request, operation, cancellationToken)
                : HashThenUploadAsync(file, request, uploads, operation, cancellationToken)))
            .ToList();
        await Task.WhenAll(layerUploads.Append(configUpload)).ConfigureAwait(false);
        var layers = layerUploads.Select(t => t.Result).ToList();
        for (var i = 0; i < files.Count; i++)
        {
            CheckUnchanged(files[i], layers[i], writeTimes[i]);
        }

        // Step 3.
        var (manifest, bytes) = ManifestFactory.Build(request, config, layers, DateTimeOffset.UtcNow);
        var digest = Digest.Compute(bytes);

        // Without an artifactType field (image-spec 1.0) the config's media type says what the artifact is.
        var artifactType = manifest.ArtifactType ?? manifest.Config.MediaType;
        var descriptor = new Descriptor
        {
            MediaType = MediaTypes.ImageManifest,
            Digest = digest.ToString(),
            Size = bytes.Length,
            ArtifactType = artifactType,
        };
        _observer.Started(descriptor, MediaTypes.ImageManifest);
        if (request.Subject is { } subject)
        {
            // A referrer is pushed by digest, and listed where readers of the subject look.
            var entry = new Descriptor
            {
                MediaType = descriptor.MediaType,
                Digest = descriptor.Digest,
                Size = descriptor.Size,
                ArtifactType = artifactType,
                Annotations = manifest.Annotations,
            };
            await new Referrers(_target, request.ReferrersMode)
                .AttachAsync(bytes, entry, subject.ParsedDigest(), operation, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var first = tags.Count > 0 ? tags[0] : digest.ToString();
            await _target.PushManifestAsync(first, bytes, MediaTypes.ImageManifest, operation, cancellationToken)
                .ConfigureAwait(false);
        }

        _observer.Completed(descriptor, MediaTypes.ImageManifest, TransferOutcome.Transferred);
        foreach (var tag in tags.Skip(1))
        {
            await _target.PushManifestAsync(tag, bytes, MediaTypes.ImageManifest, $"tag {tag}", cancellationToken)
                .ConfigureAwait(false);
        }

        return new PushResult(descriptor, bytes, artifactType, layers, tags);
    }

    // The config blob and its bytes: the request's config file, or {} typed as its image-spec asks.
    private static (Descriptor Config, byte[] Content) Config(PushRequest request)
    {
        if (request.Config is not { } file)
        {
            return (ManifestFactory.DefaultConfig(request), "{}"u8.ToArray());
        }

        ManifestFactory.ImageSpecOf(request);
        var path = Path.GetFullPath(file.Path, request.WorkingDirectory);
        if (!File.Exists(path))
        {
            throw new UsageException($"the config file '{file.Path}' does not exist");
        }

        if (new FileInfo(path).Length > Repository.MaxManifestBytes)
        {
            throw new UsageException(
                $"the config file '{file.Path}' is over {Repository.MaxManifestBytes / 1024 / 1024} MiB; " +
                "a config describes an artifact, push large content as a file");
        }

        var content = File.ReadAllBytes(path);
        var config = new Descriptor
        {
            MediaType = file.MediaType ?? MediaTypes.UnknownConfig,
            Digest = Digest.Compute(content).ToString(),
            Size = content.Length,
        };
        return (config, content);
    }

    // Blobs with the same digest (two files with the same bytes, a file whose bytes are the config's)
    // go up once; the others wait for that upload and count as existing.
    private async Task UploadAsync(
        Descriptor descriptor, string name, Func<Stream> open, ConcurrentDictionary<string, Lazy<Task<bool>>> uploads,
        string operation, CancellationToken cancellationToken)
    {
        _observer.Started(descriptor, name);
        var mine = new Lazy<Task<bool>>(() => _target.PushBlobAsync(
            descriptor, open, bytes => _observer.Progress(descriptor, bytes), operation, cancellationToken));
        var upload = uploads.GetOrAdd(descriptor.Digest, mine);
        var uploaded = await upload.Value.ConfigureAwait(false);
        _observer.Completed(descriptor, name,
            uploaded && ReferenceEquals(upload, mine) ? TransferOutcome.Transferred : TransferOutcome.Exists);
    }

    private async Task<Descriptor> HashThenUploadAsync(
        LocatedFile file, PushRequest request, ConcurrentDictionary<string, Lazy<Task<bool>>> uploads,
        string operation, CancellationToken cancellationToken)
    {
        var layer = await DescribeAsync(file, request, cancellationToken).ConfigureAwait(false);
        await UploadAsync(layer, file.Title, () => OpenRead(file.FullPath), uploads, operation, cancellationToken)
            .ConfigureAwait(false);
        return layer;
    }

    // A large file is read twice at once, by the upload and by the hash, so hashing adds no time;
    // the blob is announced to the observer once its digest is known.
    private async Task<Descriptor> UploadWhileHashingAsync(
        Repository repository, LocatedFile file, long size, PushRequest request, string operation,
        CancellationToken cancellationToken)
    {
        var progress = new DeferredProgress(_observer);
        bool uploaded;
        try
        {
            uploaded = await repository.PushBlobWhileHashingAsync(
                size,
                () => OpenRead(file.FullPath),
                async token =>
                {
                    var layer = await DescribeAsync(file, request, token).ConfigureAwait(false);
                    if (layer.Size != size)
                    {
                        throw Changed(file);
                    }

                    progress.Start(layer, file.Title);
                    return layer.ParsedDigest();
                },
                progress.Add,
                operation,
                cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.HasCode("DIGEST_INVALID"))
        {
            // The upload read other bytes than the hash did.
            throw Changed(file);
        }

        var descriptor = progress.Descriptor!;
        _observer.Completed(descriptor, file.Title, uploaded ? TransferOutcome.Transferred : TransferOutcome.Exists);
        return descriptor;
    }

    private static LocatedFile Locate(FileReference file, PushRequest request)
    {
        var fullPath = Path.GetFullPath(file.Path, request.WorkingDirectory);
        var folder = Directory.Exists(fullPath);
        if (!folder && !File.Exists(fullPath))
        {
            throw new UsageException($"file '{file.Path}' does not exist");
        }

        // Opening a FIFO would wait for a writer forever; a device has no fixed content.
        if (!folder && FileKind.IsSpecial(fullPath))
        {
            throw new UsageException($"'{file.Path}' is not a regular file (a FIFO, socket or device); push a file");
        }

        var title = file.Path.Replace('\\', '/');
        if (!request.DisablePathValidation)
        {
            // A link is pushed as its target's content, so the target must pass the same check.
            var target = File.ResolveLinkTarget(fullPath, returnFinalTarget: true)?.FullName;
            if (target is not null && IsOutside(request.WorkingDirectory, target))
            {
                throw new UsageException(
                    $"'{file.Path}' is a symbolic link to {target}, outside the working directory; push the " +
                    "file itself, or pass --disable-path-validation");
            }

            if (Path.IsPathRooted(file.Path))
            {
                throw new UsageException(
                    $"'{file.Path}' is an absolute path; pullers would refuse its title. Push it from its " +
                    "folder with a relative name, or pass --disable-path-validation");
            }

            var relative = Path.GetRelativePath(request.WorkingDirectory, fullPath);
            if (IsOutside(request.WorkingDirectory, fullPath))
            {
                throw new UsageException(
                    $"'{file.Path}' is outside the working directory; pullers would refuse its title. " +
                    "Push it from its own folder, or pass --disable-path-validation");
            }

            title = relative.Replace('\\', '/');
        }

        // Read, hash and re-check the link's target, which is what the layer holds.
        var content = File.ResolveLinkTarget(fullPath, returnFinalTarget: true)?.FullName ?? fullPath;
        if (folder)
        {
            return Pack(file, request, content, title);
        }

        var mediaType = file.MediaType ?? MediaTypes.LayerTar;
        return new LocatedFile(content, title, mediaType, null);
    }

    // ORAS section 3.3: one tar+gzip layer, entries prefixed with the title.
    private static LocatedFile Pack(FileReference file, PushRequest request, string folder, string title)
    {
        title = title.TrimEnd('/');
        if (title.Length == 0 || title == "." || title.EndsWith("/.", StringComparison.Ordinal))
        {
            throw new UsageException(
                $"'{file.Path}' names the folder itself, which gives the layer no title; push it by its name " +
                "from its parent folder");
        }

        var archive = Path.Combine(Path.GetTempPath(), $"coffer-{Guid.NewGuid():N}.tar.gz");
        try
        {
            var tarDigest = DirectoryPacker.Pack(folder, title, request.Created, !request.DisablePathValidation,
                archive);
            return new LocatedFile(archive, title, file.MediaType ?? MediaTypes.LayerTarGzip, tarDigest.ToString());
        }
        catch
        {
            File.Delete(archive);
            throw;
        }
    }

    private static bool IsOutside(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative);
    }

    // The content was hashed before the upload; it must not have changed since, or the digest
    // in the manifest would describe a file that no longer exists.
    private static void CheckUnchanged(LocatedFile file, Descriptor layer, DateTime hashedWriteTime)
    {
        var info = new FileInfo(file.FullPath);
        if (!info.Exists || info.Length != layer.Size || info.LastWriteTimeUtc != hashedWriteTime)
        {
            throw Changed(file);
        }
    }

    private static CofferException Changed(LocatedFile file) => new(
        $"'{file.Title}' changed while it was being pushed; no manifest was written",
        "push again once nothing writes to the file");

    private static async Task<Descriptor> DescribeAsync(
        LocatedFile file, PushRequest request, CancellationToken cancellationToken)
    {
        using var hash = Digest.CreateHash("sha256");
        long size = 0;
        var stream = OpenRead(file.FullPath);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(HashBufferSize);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(0, HashBufferSize), cancellationToken)
                    .ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    size += read;
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [AnnotationKeys.Title] = file.Title,
        };
        if (file.TarDigest is not null)
        {
            annotations[AnnotationKeys.ContentDigest] = file.TarDigest;
            annotations[AnnotationKeys.Unpack] = "true";
        }

        if (request.FileAnnotations.TryGetValue(file.Title, out var extra))
        {
            foreach (var (key, value) in extra)
            {
                annotations[key] = value;
            }
        }

        return new Descriptor
        {
            MediaType = file.MediaType,
            Digest = Digest.FromHash("sha256", hash.GetHashAndReset()).ToString(),
            Size = size,
            Annotations = annotations,
        };
    }

    private static FileStream OpenRead(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.Read,
        BufferSize = 0,
        Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
    });

    private static async Task<T> Limited<T>(SemaphoreSlim gate, Func<Task<T>> work)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task Limited(SemaphoreSlim gate, Func<Task> work)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await work().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    // TarDigest is set for a packed folder, whose FullPath is then a temporary archive.
    private sealed record LocatedFile(string FullPath, string Title, string MediaType, string? TarDigest);
}
