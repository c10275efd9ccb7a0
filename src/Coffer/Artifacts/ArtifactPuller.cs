using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Coffer.Content;
using Coffer.Errors;
using Coffer.IO;
using Coffer.Registry;
using Coffer.Targets;

namespace Coffer.Artifacts;

/// <summary>
/// Pulls an artifact's files.
/// <list type="number">
/// <item>Step 1: fetch the manifest (for an index, each manifest it lists).</item>
/// <item>Step 2: map every titled layer to a safe path under the output folder, before any byte
/// is written.</item>
/// <item>Step 3: stream each blob into a temporary file beside its destination, resuming from
/// where it stopped after a dropped connection, and rename it into place only once its size and
/// digest are verified.</item>
/// </list>
/// </summary>
public sealed class ArtifactPuller
{
    private const int MaxIndexEntries = 256;
    private const int BufferSize = 1024 * 1024;

    private readonly ITarget _target;
    private readonly ITransferObserver _observer;

    /// <summary>Creates a puller from a registry repository or an OCI layout.</summary>
    public ArtifactPuller(ITarget target, ITransferObserver? observer = null)
    {
        _target = target;
        _observer = observer ?? NullObserver.Instance;
    }

    // Messages about content that does not match say where it came from: a layout is not served
    // again by a rerun, and there is no "way" for it to be altered on.
    private bool IsLayout => _target.Kind == TargetKind.OciLayout;

    /// <summary>
    /// Pulls the artifact <see cref="PullRequest.Reference"/> names or, when that is unset, the one
    /// the repository's reference names.
    /// </summary>
    public async Task<PullResult> PullAsync(PullRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var requested = request.Reference ?? (_target as Repository)?.Reference.ManifestReference;
        var operation = $"pull {_target.Describe(requested)}";
        var target = request.PinnedDigest?.ToString() ?? requested
            ?? throw new UsageException(
                $"'{_target.Describe(null)}' names no tag or digest; add :<tag> or @sha256:<digest>");

        // Step 1.
        var manifest = await _target.FetchManifestAsync(target, operation, cancellationToken).ConfigureAwait(false);
        Platform? platform = null;
        if (request.Platform is { } wanted)
        {
            var match = await PlatformResolver.SelectAsync(_target, manifest, wanted, operation, cancellationToken)
                .ConfigureAwait(false);
            (manifest, platform) = (match.Manifest, match.Platform);
        }

        var layers = await CollectLayersAsync(manifest, operation, cancellationToken).ConfigureAwait(false);

        // Step 2.
        if (File.Exists(request.OutputDirectory))
        {
            throw new UsageException($"the output folder {request.OutputDirectory} is a file; name a folder with -o");
        }

        // Folders this pull makes are taken away again when it fails, so a failed pull leaves the
        // output folder as it was, without empty folders in it.
        var created = new ConcurrentStack<string>();
        MakeFolder(request.OutputDirectory, created);
        var planned = new List<(string Path, Descriptor Layer, Digest? TarDigest)>();
        var skipped = 0;
        try
        {
            foreach (var layer in layers)
            {
                if (layer.Title is not { } title)
                {
                    skipped++;
                    _observer.Completed(layer, layer.MediaType, TransferOutcome.Skipped);
                    continue;
                }

                layer.ParsedDigest();
                if (layer.Size < 0)
                {
                    throw new CofferException($"{operation}: layer '{title}' claims a negative size",
                        "the manifest is damaged; do not use it", ExitCodes.VerificationFailed);
                }

                var tarDigest = UnpackDigest(layer, operation);
                var path = tarDigest is null
                    ? PathSafety.Resolve(request.OutputDirectory, title, request.AllowPathTraversal)
                    : PathSafety.ResolveFolder(request.OutputDirectory, title, request.AllowPathTraversal);
                if (planned.Any(p => string.Equals(p.Path, path, StringComparison.Ordinal)))
                {
                    throw new CofferException($"{operation}: two layers are both titled '{title}'",
                        MediaTypes.IsIndex(manifest.MediaType)
                            ? "the index lists several manifests with that file; pick one with --platform"
                            : null);
                }

                if (tarDigest is null && request.KeepOldFiles && (File.Exists(path) || Directory.Exists(path)))
                {
                    throw new CofferException(
                        $"{operation}: '{path}' already exists and --keep-old-files is set",
                        "remove the file, pull into another folder with -o, or drop -k");
                }

                planned.Add((path, layer, tarDigest));
            }
        }
        catch
        {
            RemoveMadeFolders(created);
            throw;
        }

        // Step 3: every file is staged and verified before any is moved into place, so a failure
        // leaves the output folder as it was.
        using var gate = new SemaphoreSlim(Math.Max(1, request.Concurrency));
        var staged = new string?[planned.Count];
        var folderModes = new Dictionary<string, UnixFileMode>?[planned.Count];
        var done = false;
        try
        {
            await Task.WhenAll(planned.Select(async (p, i) =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    staged[i] = await StageAsync(p.Layer, p.Path, request, operation, created, cancellationToken)
                        .ConfigureAwait(false);
                    if (p.TarDigest is { } tarDigest)
                    {
                        (staged[i], folderModes[i]) = Unpack(staged[i]!, p.Path, p.Layer.Title!, tarDigest, request,
                            operation);
                    }
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);

            // Folders merge into what exists; every conflict is found before anything moves.
            for (var i = 0; i < planned.Count; i++)
            {
                if (planned[i].TarDigest is not null)
                {
                    TreeMover.Check(staged[i]!, planned[i].Path, request.KeepOldFiles, operation);
                }
            }

            for (var i = 0; i < planned.Count; i++)
            {
                var path = planned[i].Path;
                if (planned[i].TarDigest is not null)
                {
                    TreeMover.Move(staged[i]!, path, request.KeepOldFiles, operation);
                    if (request.PreservePermissions)
                    {
                        TreeMover.ApplyModes(path, folderModes[i]!);
                    }

                    continue;
                }

                if (request.KeepOldFiles && File.Exists(path))
                {
                    throw new CofferException(
                        $"{operation}: '{path}' appeared during the pull and --keep-old-files is set");
                }

                PathSafety.CheckReplaceable(planned[i].Layer.Title!, path);
                File.Move(staged[i]!, path, overwrite: !request.KeepOldFiles);
                staged[i] = null;
            }

            done = true;
        }
        finally
        {
            foreach (var temporary in staged.Where(t => t is not null))
            {
                if (Directory.Exists(temporary))
                {
                    Directory.Delete(temporary!, recursive: true);
                }
                else
                {
                    File.Delete(temporary!);
                }
            }

            if (!done)
            {
                RemoveMadeFolders(created);
            }
        }

        // As ORAS reports it, a folder's path ends with a separator.
        var files = planned
            .Select(p => new PulledFile(p.TarDigest is null ? p.Path : p.Path + Path.DirectorySeparatorChar, p.Layer))
            .ToList();
        return new PullResult(manifest.ToDescriptor(), files, skipped) { Platform = platform };
    }

    // ORAS section 3.3: a layer annotated for unpacking is a tar+gzip folder with the tar's digest.
    private static Digest? UnpackDigest(Descriptor layer, string operation)
    {
        if (layer.Annotations?.GetValueOrDefault(AnnotationKeys.Unpack) != "true")
        {
            return null;
        }

        var text = layer.Annotations.GetValueOrDefault(AnnotationKeys.ContentDigest);
        return text is not null && Digest.TryParse(text, out var digest, out _)
            ? digest
            : throw new CofferException(
                $"{operation}: directory layer '{layer.Title}' has no valid {AnnotationKeys.ContentDigest} annotation",
                "its unpacked content cannot be verified; ask the producer to push it again",
                ExitCodes.VerificationFailed);
    }

    // Unpacks a downloaded directory layer into a staging folder beside its destination; the
    // archive is deleted either way.
    internal static (string Staging, Dictionary<string, UnixFileMode> Modes) Unpack(
        string archive, string path, string title, Digest tarDigest, PullRequest request, string operation)
    {
        var staging = Path.Combine(Path.GetDirectoryName(path)!,
            $".{Path.GetFileName(path)}.coffer-{Guid.NewGuid():N}.unpack");
        try
        {
            Directory.CreateDirectory(staging);
            return (staging, DirectoryUnpacker.Extract(archive, title, staging, tarDigest, request, operation));
        }
        catch (Exception e)
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            if (e is IOException or UnauthorizedAccessException)
            {
                throw LocalWriteFailed(operation, staging, e);
            }

            throw;
        }
        finally
        {
            File.Delete(archive);
        }
    }

    private async Task<List<Descriptor>> CollectLayersAsync(
        FetchedManifest manifest, string operation, CancellationToken cancellationToken)
    {
        if (manifest.MediaType is MediaTypes.ImageIndex or MediaTypes.DockerManifestList)
        {
            var index = Parse(manifest.Content, ContentJsonContext.Default.ImageIndex, operation);
            if (index.Manifests.Count > MaxIndexEntries)
            {
                throw new CofferException($"{operation}: the index lists {index.Manifests.Count} manifests, " +
                    $"more than the {MaxIndexEntries} Coffer reads");
            }

            var layers = new List<Descriptor>();
            foreach (var entry in index.Manifests)
            {
                if (entry.MediaType is not (MediaTypes.ImageManifest or MediaTypes.DockerManifest))
                {
                    continue;
                }

                var child = await _target.FetchManifestAsync(entry.ParsedDigest().ToString(), operation,
                    cancellationToken).ConfigureAwait(false);
                layers.AddRange(Parse(child.Content, ContentJsonContext.Default.ImageManifest, operation).Layers);
            }

            return layers;
        }

        if (manifest.MediaType is MediaTypes.ImageManifest or MediaTypes.DockerManifest)
        {
            return Parse(manifest.Content, ContentJsonContext.Default.ImageManifest, operation).Layers;
        }

        throw new CofferException(
            $"{operation}: the manifest is of type '{manifest.MediaType}', which Coffer cannot pull",
            "coffer pulls OCI image manifests and indexes");
    }

    private static T Parse<T>(byte[] content, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type,
        string operation)
    {
        try
        {
            return JsonSerializer.Deserialize(content, type)
                ?? throw new CofferException($"{operation}: the manifest is JSON null");
        }
        catch (JsonException e)
        {
            throw new CofferException($"{operation}: the manifest is not valid JSON: {e.Message}",
                "the artifact is damaged or was not made by an OCI client");
        }
    }

    // Creates a folder and the parents it lacks, noting each one made.
    private static void MakeFolder(string folder, ConcurrentStack<string> created)
    {
        var missing = new Stack<string>();
        var current = Path.GetFullPath(folder);
        while (!Directory.Exists(current))
        {
            missing.Push(current);
            if (Path.GetDirectoryName(current) is not { } parent)
            {
                break;
            }

            current = parent;
        }

        Directory.CreateDirectory(folder);
        while (missing.TryPop(out var made))
        {
            created.Push(made);
        }
    }

    // Removes the folders a failed pull made, deepest first, as long as they are empty.
    private static void RemoveMadeFolders(ConcurrentStack<string> created)
    {
        foreach (var folder in created.Distinct(StringComparer.Ordinal).OrderByDescending(f => f.Length))
        {
            try
            {
                if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    Directory.Delete(folder);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: the pull has failed already, and that is what gets reported.
            }
        }
    }

    // Downloads and verifies one blob into a temporary file beside its destination.
    private async Task<string> StageAsync(
        Descriptor layer, string path, PullRequest request, string operation, ConcurrentStack<string> created,
        CancellationToken cancellationToken)
    {
        var name = layer.Title!;
        var digest = layer.ParsedDigest();
        var folder = Path.GetDirectoryName(path)!;
        string temporary;
        try
        {
            MakeFolder(folder, created);
            RemoveStale(folder, Path.GetFileName(path));
            temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.coffer-{Guid.NewGuid():N}.partial");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalWriteFailed(operation, folder, e);
        }

        _observer.Started(layer, name);
        try
        {
            await FetchToFileAsync(layer, digest, temporary, request, operation, cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        _observer.Completed(layer, name, TransferOutcome.Transferred);
        return temporary;
    }

    // A pull that was killed leaves its temporary file behind. A live pull holds an exclusive
    // lock on its own (FileShare.None), so a file that can be locked now is abandoned.
    private static void RemoveStale(string folder, string name)
    {
        foreach (var stale in Directory.EnumerateFiles(folder, $".{name}.coffer-*.partial"))
        {
            try
            {
                using (new FileStream(stale, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    File.Delete(stale);
                }
            }
            catch (IOException)
            {
                // In use by another pull.
            }
        }
    }

    private static CofferException LocalWriteFailed(string operation, string path, Exception e) => new(
        $"{operation}: could not write under {path}: {e.Message}",
        "check free space and permissions of the output folder; no file was replaced");

    private async Task FetchToFileAsync(
        Descriptor layer, Digest digest, string temporary, PullRequest request, string operation,
        CancellationToken cancellationToken)
    {
        var options = NewFile.Options(FileAccess.Write, NewFile.Shared, unbuffered: true);
        FileStream file;
        try
        {
            file = new FileStream(temporary, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalWriteFailed(operation, temporary, e);
        }

        await using (file.ConfigureAwait(false))
        {
            var hash = digest.CreateHash();
            try
            {
                // Shared with ReceiveAsync so bytes received before a dropped connection count.
                var written = new StrongBox<long>(0);
                var resumes = 0;
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
                try
                {
                    while (true)
                    {
                        try
                        {
                            await ReceiveAsync(layer, digest, file, hash, written, buffer, request, operation,
                                cancellationToken).ConfigureAwait(false);
                            break;
                        }
                        catch (Exception e) when (e is IOException or HttpRequestException or TimeoutException
                            && !cancellationToken.IsCancellationRequested)
                        {
                            if (++resumes > request.MaxResumes)
                            {
                                throw new CofferException(
                                    $"{operation}: download of '{layer.Title}' failed after {request.MaxResumes} " +
                                    $"resumes: {e.Message}",
                                    "check that the registry is reachable and rerun the pull; nothing was written");
                            }
                        }
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }

                if (written.Value != layer.Size)
                {
                    throw new CofferException(
                        $"{operation}: '{layer.Title}' is {written.Value} bytes, but the manifest says {layer.Size}",
                        IsLayout
                            ? "the layout's blob is damaged; no file was written"
                            : "the registry served incomplete content; rerun the pull",
                        ExitCodes.VerificationFailed);
                }

                var actual = Digest.FromHash(digest.Algorithm, hash.GetHashAndReset());
                if (actual != digest)
                {
                    throw new CofferException(
                        $"{operation}: '{layer.Title}' has digest {actual}, but the manifest says {digest}",
                        IsLayout
                            ? "the layout's blob was altered; no file was written"
                            : "the content was altered in the registry or on the way; no file was written",
                        ExitCodes.VerificationFailed);
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                hash.Dispose();
            }
        }
    }

    // Receives the rest of a blob from `written` on, counting every byte it writes.
    private async Task ReceiveAsync(
        Descriptor layer, Digest digest, FileStream file, System.Security.Cryptography.IncrementalHash hash,
        StrongBox<long> written, byte[] buffer, PullRequest request, string operation,
        CancellationToken cancellationToken)
    {
        // The stream starts where the file ends, whether or not the registry honoured the range.
        var body = await _target.ReadBlobAsync(digest, written.Value, operation, cancellationToken)
            .ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            while (true)
            {
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                stall.CancelAfter(request.StallTimeout);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException(
                        $"{operation}: no data for '{layer.Title}' in {request.StallTimeout.TotalSeconds:0} s");
                }

                if (read == 0)
                {
                    return;
                }

                // A descriptor's size is a claim; never write more than it says.
                if (written.Value + read > layer.Size)
                {
                    throw new CofferException(
                        $"{operation}: {(IsLayout ? "the layout holds" : "the registry sent")} more than the " +
                        $"{layer.Size} bytes the manifest gives for '{layer.Title}'",
                        "the content does not match its manifest; no file was written", ExitCodes.VerificationFailed);
                }

                hash.AppendData(buffer, 0, read);
                try
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    // A full disk is not a network fault: no resume, and say so.
                    throw LocalWriteFailed(operation, file.Name, e);
                }

                written.Value += read;
                _observer.Progress(layer, read);
            }
        }
    }
}
