using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;
using Coffer.Targets;

namespace Coffer.Artifacts;

/// <summary>
/// Copies an artifact from one target to another: registry to registry, registry to layout, layout
/// to registry.
/// <list type="number">
/// <item>Step 1: fetch the root manifest the reference names.</item>
/// <item>Step 2: walk its graph at the source (index, manifests, config and layers), fetching each
/// manifest by digest and checking it; what the destination has already is not walked into.</item>
/// <item>Step 3: copy the blobs the destination lacks, several at once, streamed from the source
/// and checked on the way; between two repositories of one registry, mounted when it agrees.</item>
/// <item>Step 4: push the manifests below the root by digest, children first.</item>
/// <item>Step 5 (recursive): the same for every referrer of the root, and theirs, each recorded as a
/// referrer the way the destination keeps them (its referrers API, the tag schema, a layout's scan).</item>
/// <item>Step 6: push the root under its tags.</item>
/// </list>
/// No tag moves at the destination until everything below the root is there, so a failed copy
/// leaves the destination's tags as they were.
/// </summary>
public sealed class ArtifactCopier
{
    private const int MaxIndexDepth = 8;
    private const int MaxManifests = 1000;
    private const int MaxIndexEntries = 1000;
    private const int MaxReferrerDepth = 16;
    private const int MaxReferrers = 1000;

    private readonly ITarget _source;
    private readonly ITarget _destination;
    private readonly ITransferObserver _observer;

    /// <summary>Creates a copier between two targets.</summary>
    public ArtifactCopier(ITarget source, ITarget destination, ITransferObserver? observer = null)
    {
        _source = source;
        _destination = destination;
        _observer = observer ?? NullObserver.Instance;
    }

    /// <summary>Copies the artifact, and with <see cref="CopyRequest.Recursive"/> its referrers.</summary>
    /// <exception cref="CofferException">
    /// A side failed; exit code 3 when something read from the source did not match its digest or size.
    /// </exception>
    public async Task<CopyResult> CopyAsync(CopyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        IReadOnlyList<string> tags = request.Tags.Count > 0 ? request.Tags
            : Digest.TryParse(request.Reference, out _, out _) ? [] : [request.Reference];
        var run = new Run(
            $"copy from {_source.Describe(request.Reference)}",
            $"copy to {_destination.Describe(tags.Count > 0 ? tags[0] : null)}",
            Math.Clamp(request.Concurrency, 1, 64),
            new Referrers(_destination, request.DestinationReferrersMode));

        // Step 1.
        var root = await SelectRootAsync(request, run, cancellationToken).ConfigureAwait(false);

        // Steps 2 to 4: all but the root itself.
        var graph = await WalkAsync(root, run, cancellationToken).ConfigureAwait(false);
        await PushAsync(graph, run, includeTop: false, cancellationToken).ConfigureAwait(false);

        // Step 5.
        var referrers = request.Recursive
            ? await CopyReferrersAsync(root.Digest, request, run, cancellationToken).ConfigureAwait(false)
            : [];

        // Step 6.
        var descriptor = Describe(root);
        _observer.Started(descriptor, root.MediaType);
        var names = tags.Count > 0 ? tags : [root.Digest.ToString()];
        if (ManifestFields.Parse(root.Content)?.Subject is { } subject)
        {
            // A root that is itself a referrer is recorded as one (by digest), then tagged.
            await ExplainedAsync(root, root.Digest.ToString(), () => run.Referrers.AttachAsync(root.Content,
                descriptor, Digest.Parse(subject.Digest), run.To, cancellationToken)).ConfigureAwait(false);
            names = tags;
        }

        foreach (var name in names)
        {
            await ExplainedAsync(root, name, () => _destination.PushManifestAsync(name, root.Content,
                root.MediaType, run.To, cancellationToken)).ConfigureAwait(false);
        }

        _observer.Completed(descriptor, root.MediaType, graph.TopExists ? TransferOutcome.Exists
            : TransferOutcome.Transferred);
        return new CopyResult(descriptor, tags, referrers, run.Copied, run.Existing, run.Mounted);
    }

    // The manifest the reference names; a choice among an index's entries would be made here.
    private async Task<FetchedManifest> SelectRootAsync(CopyRequest request, Run run, CancellationToken token)
    {
        var named = await _source.FetchManifestAsync(request.Reference, run.From, token).ConfigureAwait(false);
        if (request.Platform is not { } platform)
        {
            return named;
        }

        // Only the platform's manifest travels; the index that lists it stays behind.
        var match = await PlatformResolver.SelectAsync(_source, named, platform, run.From, token)
            .ConfigureAwait(false);
        return match.Manifest;
    }

    private async Task<Graph> WalkAsync(FetchedManifest top, Run run, CancellationToken cancellationToken)
    {
        var graph = new Graph();
        if (await _destination.ResolveAsync(top.Digest.ToString(), run.To, cancellationToken).ConfigureAwait(false)
            is not null)
        {
            graph.TopExists = true;
            return graph;
        }

        await VisitAsync(top, 0, graph, run, cancellationToken).ConfigureAwait(false);
        return graph;
    }

    private async Task VisitAsync(
        FetchedManifest manifest, int depth, Graph graph, Run run, CancellationToken cancellationToken)
    {
        if (graph.Manifests.Count >= MaxManifests)
        {
            throw new CofferException($"{run.From}: the artifact has more than {MaxManifests} manifests");
        }

        var fields = ManifestFields.Parse(manifest.Content) ?? throw new CofferException(
            $"{run.From}: manifest {manifest.Digest} is not a JSON object",
            "the artifact is damaged or was not made by an OCI client");
        if (manifest.MediaType is MediaTypes.ImageIndex or MediaTypes.DockerManifestList)
        {
            var entries = fields.Manifests ?? [];
            if (entries.Count > MaxIndexEntries)
            {
                throw new CofferException($"{run.From}: the index lists {entries.Count} manifests, " +
                    $"more than the {MaxIndexEntries} Coffer copies");
            }

            foreach (var entry in entries)
            {
                var digest = Checked(entry, run);
                if (!graph.Visited.Add(digest.ToString()))
                {
                    continue;
                }

                if (await _destination.ResolveAsync(digest.ToString(), run.To, cancellationToken)
                    .ConfigureAwait(false) is not null)
                {
                    _observer.Completed(entry, entry.MediaType, TransferOutcome.Exists);
                    continue;
                }

                if (depth + 1 > MaxIndexDepth)
                {
                    throw new CofferException($"{run.From}: indexes nest more than {MaxIndexDepth} deep");
                }

                var child = await FetchAsync(entry, run, cancellationToken).ConfigureAwait(false);
                await VisitAsync(child, depth + 1, graph, run, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (manifest.MediaType is MediaTypes.ImageManifest or MediaTypes.DockerManifest)
        {
            foreach (var blob in new[] { fields.Config }.Concat(fields.Layers ?? []).OfType<Descriptor>())
            {
                if (graph.Visited.Add(Checked(blob, run).ToString()))
                {
                    graph.Blobs.Add(blob);
                }
            }
        }
        else
        {
            throw new CofferException(
                $"{run.From}: manifest {manifest.Digest} is of type '{manifest.MediaType}', which Coffer cannot copy",
                "coffer copies OCI image manifests and indexes (and their Docker equivalents)");
        }

        graph.Manifests.Add(manifest);
    }

    // Fetches a manifest a descriptor names, checking its digest (the fetch does) and its size.
    private async Task<FetchedManifest> FetchAsync(Descriptor entry, Run run, CancellationToken cancellationToken)
    {
        var manifest = await _source.FetchManifestAsync(entry.Digest, run.From, cancellationToken)
            .ConfigureAwait(false);
        if (manifest.Content.Length != entry.Size)
        {
            throw new CofferException(
                $"{run.From}: manifest {entry.Digest} is {manifest.Content.Length} bytes, not the {entry.Size} " +
                "its descriptor gives",
                "the source altered the content; nothing was tagged", ExitCodes.VerificationFailed);
        }

        return manifest;
    }

    private async Task PushAsync(Graph graph, Run run, bool includeTop, CancellationToken cancellationToken)
    {
        // Step 3: the first failure stops the other copies, and is the one reported.
        using var gate = new SemaphoreSlim(run.Concurrency);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var copies = graph.Blobs.Select(async blob =>
        {
            await gate.WaitAsync(stop.Token).ConfigureAwait(false);
            try
            {
                await CopyBlobAsync(blob, run, stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        try
        {
            await Task.WhenAll(copies).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var cause = copies.Select(c => c.Exception?.InnerException)
                .FirstOrDefault(e => e is not null and not OperationCanceledException);
            if (cause is null)
            {
                throw;
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
        }

        // Step 4: the walk listed children before their parents, and the top last.
        var count = includeTop ? graph.Manifests.Count : graph.Manifests.Count - 1;
        foreach (var manifest in graph.Manifests.Take(Math.Max(count, 0)))
        {
            var descriptor = Describe(manifest);
            _observer.Started(descriptor, manifest.MediaType);
            var digest = manifest.Digest.ToString();
            if (ManifestFields.Parse(manifest.Content)?.Subject is { } subject)
            {
                await ExplainedAsync(manifest, digest, () => run.Referrers.AttachAsync(manifest.Content,
                    descriptor, Digest.Parse(subject.Digest), run.To, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                await ExplainedAsync(manifest, digest, () => _destination.PushManifestAsync(digest,
                    manifest.Content, manifest.MediaType, run.To, cancellationToken)).ConfigureAwait(false);
            }

            _observer.Completed(descriptor, manifest.MediaType, TransferOutcome.Transferred);
        }
    }

    private async Task CopyBlobAsync(Descriptor blob, Run run, CancellationToken cancellationToken)
    {
        var name = blob.Title ?? blob.MediaType;
        _observer.Started(blob, name);
        var source = new VerifiedBlobSource(_source, blob, run.From);
        void Progress(long bytes) => _observer.Progress(blob, bytes);

        TransferOutcome outcome;
        if (_source is Repository from && _destination is Repository to && SameRegistry(from, to))
        {
            var mounted = await to.MountOrPushBlobAsync(blob, from.Reference.Repository, source.Opener, Progress,
                run.To, cancellationToken).ConfigureAwait(false);
            outcome = mounted switch
            {
                MountOutcome.Mounted => TransferOutcome.Mounted,
                MountOutcome.Exists => TransferOutcome.Exists,
                _ => TransferOutcome.Transferred,
            };
        }
        else
        {
            var pushed = await _destination.PushBlobAsync(blob, source.Opener, Progress, run.To, cancellationToken)
                .ConfigureAwait(false);
            outcome = pushed ? TransferOutcome.Transferred : TransferOutcome.Exists;
        }

        run.Count(outcome);
        _observer.Completed(blob, name, outcome);
    }

    // Walks the referrers breadth first; a digest met twice (a cycle, a shared referrer) is copied once.
    private async Task<List<Descriptor>> CopyReferrersAsync(
        Digest root, CopyRequest request, Run run, CancellationToken cancellationToken)
    {
        var listing = new Referrers(_source, request.SourceReferrersMode);
        var copied = new List<Descriptor>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { root.ToString() };
        var queue = new Queue<(Digest Subject, int Depth)>();
        queue.Enqueue((root, 0));
        while (queue.Count > 0)
        {
            var (subject, depth) = queue.Dequeue();
            if (depth >= MaxReferrerDepth)
            {
                continue;
            }

            var listed = await listing.ListAsync(subject, null, cancellationToken).ConfigureAwait(false);
            foreach (var entry in listed)
            {
                var digest = Checked(entry, run);
                if (!visited.Add(digest.ToString()))
                {
                    continue;
                }

                if (copied.Count >= MaxReferrers)
                {
                    throw new CofferException($"{run.From}: the artifact has more than {MaxReferrers} referrers",
                        "copy it without -r, or copy its referrers one by one");
                }

                var manifest = await FetchAsync(entry, run, cancellationToken).ConfigureAwait(false);
                var graph = await WalkAsync(manifest, run, cancellationToken).ConfigureAwait(false);
                if (graph.TopExists)
                {
                    // Already there; make sure the destination lists it where readers of the subject look.
                    graph.Manifests.Add(manifest);
                }

                await PushAsync(graph, run, includeTop: true, cancellationToken).ConfigureAwait(false);
                copied.Add(Describe(manifest));
                queue.Enqueue((digest, depth + 1));
            }
        }

        return copied;
    }

    // A registry's refusal of a manifest is explained for a push, whose flags can change the
    // manifest; a copy cannot change it, so the refusal of this manifest's PUT (not of a referrers
    // tag index pushed after it) gets the hint that fits a copy.
    private static async Task ExplainedAsync(FetchedManifest manifest, string reference, Func<Task> push)
    {
        try
        {
            await push().ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.Method == "PUT"
            && e.Url.EndsWith($"/manifests/{reference}", StringComparison.Ordinal))
        {
            throw ManifestRefusal.Explain(e, manifest.Content, copying: true);
        }
    }

    private static Digest Checked(Descriptor descriptor, Run run)
    {
        if (!Digest.TryParse(descriptor.Digest, out var digest, out var error))
        {
            throw new CofferException($"{run.From}: the manifest names a bad digest: {error}",
                "the artifact is damaged; do not use it", ExitCodes.VerificationFailed);
        }

        if (descriptor.Size < 0)
        {
            throw new CofferException($"{run.From}: {digest} claims a negative size",
                "the artifact is damaged; do not use it", ExitCodes.VerificationFailed);
        }

        return digest;
    }

    // A manifest as a referrers listing describes it: with its artifact type and annotations.
    private static Descriptor Describe(FetchedManifest manifest)
    {
        var fields = ManifestFields.Parse(manifest.Content);
        return new Descriptor
        {
            MediaType = manifest.MediaType,
            Digest = manifest.Digest.ToString(),
            Size = manifest.Content.Length,
            ArtifactType = fields?.ListedArtifactType(),
            Annotations = fields?.Annotations,
        };
    }

    private static bool SameRegistry(Repository from, Repository to) =>
        string.Equals(from.Reference.Endpoint, to.Reference.Endpoint, StringComparison.OrdinalIgnoreCase)
        && from.Reference.Repository != to.Reference.Repository;

    // What one copy shares across its steps.
    private sealed class Run(string from, string to, int concurrency, Referrers referrers)
    {
        private int _copied;
        private int _existing;
        private int _mounted;

        public string From { get; } = from;

        public string To { get; } = to;

        public int Concurrency { get; } = concurrency;

        public Referrers Referrers { get; } = referrers;

        public int Copied => _copied;

        public int Existing => _existing;

        public int Mounted => _mounted;

        public void Count(TransferOutcome outcome)
        {
            switch (outcome)
            {
                case TransferOutcome.Mounted:
                    Interlocked.Increment(ref _mounted);
                    break;
                case TransferOutcome.Exists:
                    Interlocked.Increment(ref _existing);
                    break;
                default:
                    Interlocked.Increment(ref _copied);
                    break;
            }
        }
    }

    // The blobs and manifests of one graph, in the order they go to the destination.
    private sealed class Graph
    {
        public HashSet<string> Visited { get; } = new(StringComparer.Ordinal);

        public List<Descriptor> Blobs { get; } = [];

        public List<FetchedManifest> Manifests { get; } = [];

        public bool TopExists { get; set; }
    }
}
