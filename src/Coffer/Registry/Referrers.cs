using System.Text.Json;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Targets;

namespace Coffer.Registry;

/// <summary>
/// Lists and records the referrers of a manifest (OCI distribution spec 1.1, "Listing Referrers").
/// A registry with the referrers API indexes a manifest's <c>subject</c> itself, and an OCI layout
/// finds referrers by scanning its manifests. Distribution 2.8 has no such API, so the client keeps
/// the referrers tag schema: an image index under the tag <c>sha256-&lt;hex&gt;</c> listing every
/// referrer.
/// </summary>
/// <remarks>
/// The tag schema is a read-modify-write with no conditional write in the protocol. Attaches that
/// run at the same time are reconciled: before writing, the tag is checked to be unchanged since
/// it was read; after writing, the index is read back twice, a moment apart, and the merge starts
/// over if the new entry is gone.
/// </remarks>
public sealed class Referrers
{
    private const int MaxAttempts = 12;
    private const int MaxEntries = 10_000;

    private readonly ITarget _target;
    private ReferrersMode _mode;

    /// <summary>Creates the referrers view of a repository or a layout.</summary>
    public Referrers(ITarget target, ReferrersMode mode = ReferrersMode.Auto)
    {
        _target = target;
        _mode = mode;
    }

    /// <summary>The referrers tag of a subject digest.</summary>
    public static string TagFor(Digest subject)
    {
        var tag = $"{subject.Algorithm}-{subject.Hex}";
        return tag.Length <= 128 ? tag : tag[..128];
    }

    /// <summary>Lists the manifests whose <c>subject</c> is the given manifest.</summary>
    /// <param name="subject">The subject's digest.</param>
    /// <param name="artifactType">Keep only referrers of this artifact type, or null for all.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public async Task<IReadOnlyList<Descriptor>> ListAsync(
        Digest subject, string? artifactType, CancellationToken cancellationToken = default)
    {
        var operation = $"list referrers of {_target.Name}@{subject}";
        IReadOnlyList<Descriptor>? entries = null;
        if (_mode != ReferrersMode.TagSchema)
        {
            var listed = await _target.ListReferrersAsync(subject, artifactType, operation, cancellationToken)
                .ConfigureAwait(false);
            if (listed is not null)
            {
                _mode = ReferrersMode.Api;
                entries = listed;
            }
            else if (_mode == ReferrersMode.Api)
            {
                throw new CofferException(
                    $"{operation}: the registry has no referrers API",
                    "use --distribution-spec v1.1-referrers-tag, or leave it out to detect the API");
            }
            else
            {
                _mode = ReferrersMode.TagSchema;
            }
        }

        entries ??= (await ReadTagIndexAsync(subject, operation, cancellationToken).ConfigureAwait(false)).Entries;

        // Registries may ignore the filter; apply it here as well.
        return [.. entries.Where(e => artifactType is null || e.ArtifactType == artifactType).Take(MaxEntries)];
    }

    /// <summary>
    /// Pushes a manifest that has a <c>subject</c>, by digest, and makes it findable as a referrer.
    /// </summary>
    /// <param name="manifest">The manifest bytes.</param>
    /// <param name="entry">The descriptor to list: media type, digest, size, artifact type, annotations.</param>
    /// <param name="subject">The subject's digest.</param>
    /// <param name="operation">What the attach is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the attach.</param>
    public async Task AttachAsync(
        byte[] manifest, Descriptor entry, Digest subject, string operation,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(entry);
        var pushed = await _target.PushManifestAsync(
                entry.Digest, manifest, entry.MediaType, operation, cancellationToken)
            .ConfigureAwait(false);
        if (pushed.SubjectIndexed)
        {
            _mode = ReferrersMode.Api;
            return;
        }

        if (_mode == ReferrersMode.Api)
        {
            // Told to rely on the API: make sure there is one, or the referrer could never be found.
            if (await _target.ListReferrersAsync(subject, null, operation, cancellationToken).ConfigureAwait(false)
                is null)
            {
                throw new CofferException(
                    $"{operation}: the registry has no referrers API, so nothing would find this referrer",
                    "use --distribution-spec v1.1-referrers-tag, " +
                    "or leave the flag out to detect what the registry has");
            }

            return;
        }

        await AddToTagIndexAsync(entry, subject, operation, cancellationToken).ConfigureAwait(false);
    }

    private async Task AddToTagIndexAsync(
        Descriptor entry, Digest subject, string operation, CancellationToken cancellationToken)
    {
        var tag = TagFor(subject);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            // Step 1: read the index as it stands.
            var (current, entries) = await ReadTagIndexAsync(subject, operation, cancellationToken)
                .ConfigureAwait(false);
            if (!entries.Any(e => e.Digest == entry.Digest))
            {
                // Step 2: write the union, unless someone wrote since step 1.
                var index = new ImageIndex { Manifests = [.. entries, entry] };
                var bytes = JsonSerializer.SerializeToUtf8Bytes(index, ContentJsonContext.Default.ImageIndex);
                var now = await _target.ResolveAsync(tag, operation, cancellationToken).ConfigureAwait(false);
                if (now?.Digest != current)
                {
                    await BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    await _target.PushManifestAsync(tag, bytes, MediaTypes.ImageIndex, operation, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (RegistryException e) when (e.HasCode("MANIFEST_BLOB_UNKNOWN") || e.HasCode("MANIFEST_UNKNOWN"))
                {
                    // The index names a referrer that was deleted since; distribution refuses such an
                    // index, so drop the dangling entries and write it again.
                    var kept = await LiveEntriesAsync(index.Manifests, operation, cancellationToken)
                        .ConfigureAwait(false);
                    var pruned = JsonSerializer.SerializeToUtf8Bytes(
                        new ImageIndex { Manifests = kept }, ContentJsonContext.Default.ImageIndex);
                    await _target.PushManifestAsync(
                            tag, pruned, MediaTypes.ImageIndex, operation, cancellationToken)
                        .ConfigureAwait(false);
                }
            }

            // Step 3: read it back twice, a moment apart; a concurrent writer that started from an
            // older index would show up as a missing entry.
            if (await StillListedAsync(entry, subject, operation, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
        }

        throw new CofferException(
            $"{operation}: could not record the referrer in the index tag {tag} after {MaxAttempts} attempts",
            "other clients keep rewriting the same referrers index; retry when they are done");
    }

    private async Task<List<Descriptor>> LiveEntriesAsync(
        IEnumerable<Descriptor> entries, string operation, CancellationToken cancellationToken)
    {
        var live = new List<Descriptor>();
        foreach (var entry in entries)
        {
            if (await _target.ResolveAsync(entry.Digest, operation, cancellationToken).ConfigureAwait(false)
                is not null)
            {
                live.Add(entry);
            }
        }

        return live;
    }

    private async Task<bool> StillListedAsync(
        Descriptor entry, Digest subject, string operation, CancellationToken cancellationToken)
    {
        for (var check = 0; check < 2; check++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(60 + Random.Shared.Next(60)), cancellationToken)
                .ConfigureAwait(false);
            var (_, entries) = await ReadTagIndexAsync(subject, operation, cancellationToken).ConfigureAwait(false);
            if (!entries.Any(e => e.Digest == entry.Digest))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<(string? Digest, IReadOnlyList<Descriptor> Entries)> ReadTagIndexAsync(
        Digest subject, string operation, CancellationToken cancellationToken)
    {
        var tag = TagFor(subject);

        // One GET by tag: the digest comes from the bytes, so no HEAD is needed first.
        FetchedManifest fetched;
        try
        {
            fetched = await _target.FetchManifestAsync(tag, operation, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return (null, []);
        }

        // Only an image index that is not the subject itself counts as a referrers index.
        if (fetched.MediaType != MediaTypes.ImageIndex || fetched.Digest == subject)
        {
            throw new CofferException(
                $"{operation}: the tag {tag} holds a {fetched.MediaType}, not a referrers index",
                "something else uses the referrers tag; remove that tag or use a registry with the referrers API");
        }

        ImageIndex? index;
        try
        {
            index = JsonSerializer.Deserialize(fetched.Content, ContentJsonContext.Default.ImageIndex);
        }
        catch (JsonException e)
        {
            throw new CofferException($"{operation}: the referrers index {tag} is not valid JSON: {e.Message}");
        }

        var entries = (index?.Manifests ?? []).Where(e => Content.Digest.TryParse(e.Digest, out _, out _)).ToList();
        return (fetched.Digest.ToString(), entries);
    }

    private static Task BackOffAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(20, 80) * Math.Min(attempt, 6)), cancellationToken);
}
