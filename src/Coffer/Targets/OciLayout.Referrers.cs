using System.Collections.Concurrent;
using Coffer.Content;

namespace Coffer.Targets;

public sealed partial class OciLayout
{
    // Listings stop here, as the referrers tag schema does.
    private const int MaxScanned = 10_000;

    // Manifests are content-addressed, so what a digest's manifest says never changes.
    private readonly ConcurrentDictionary<Digest, ManifestFields?> _probes = new();

    /// <summary>
    /// Lists the referrers of a manifest by reading every manifest <c>index.json</c> lists and keeping
    /// those whose <c>subject</c> it is, in the order they were added.
    /// </summary>
    /// <returns>The referrers; never null, since a layout always answers for itself.</returns>
    public async Task<IReadOnlyList<Descriptor>?> ListReferrersAsync(
        Digest subject, string? artifactType, string operation, CancellationToken cancellationToken = default)
    {
        var index = await ReadIndexAsync(operation, cancellationToken).ConfigureAwait(false);
        var referrers = new List<Descriptor>();
        var seen = new HashSet<Digest>();
        foreach (var entry in index.Entries.Take(MaxScanned))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var digest = Digest.Parse(entry.Digest);
            if (!seen.Add(digest) || digest == subject)
            {
                continue;
            }

            var probe = _probes.GetOrAdd(
                digest, d => ReadManifest(d, operation) is { } content ? Probe(content) : null);
            if (probe?.Subject?.Digest != subject.ToString())
            {
                continue;
            }

            var type = probe.ListedArtifactType();
            if (artifactType is null || type == artifactType)
            {
                referrers.Add(new Descriptor
                {
                    MediaType = entry.MediaType is { Length: > 0 } listed ? listed : probe.KindOf() ?? "",
                    Digest = entry.Digest,
                    Size = entry.Size,
                    ArtifactType = type,
                    Annotations = probe.Annotations,
                });
            }
        }

        return referrers;
    }
}
