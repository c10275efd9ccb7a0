using System.Globalization;
using System.Text.Json;
using Coffer.Content;
using Coffer.Registry;
using Coffer.Targets;

namespace Coffer.Artifacts;

/// <summary>
/// Attaches one blob to a manifest as a referrer: the blob as the single layer of an image
/// manifest with the empty config, an <c>artifactType</c> and a <c>subject</c>, pushed by digest.
/// This is how cosign v3 stores a Sigstore bundle next to what it signs.
/// </summary>
public sealed class ReferrerPusher
{
    private readonly ITarget _target;
    private readonly Referrers _referrers;

    /// <summary>Creates a pusher for a repository or a layout.</summary>
    public ReferrerPusher(ITarget target, Referrers referrers)
    {
        _target = target;
        _referrers = referrers;
    }

    /// <summary>Pushes the blob and the referrer manifest, and records it as a referrer of the subject.</summary>
    /// <param name="subject">The manifest the referrer points at.</param>
    /// <param name="artifactType">The referrer's artifact type, also the layer's media type.</param>
    /// <param name="content">The blob.</param>
    /// <param name="annotations">Manifest annotations; <c>created</c> is added when missing.</param>
    /// <param name="operation">What this is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the attach.</param>
    /// <returns>The descriptor of the referrer manifest.</returns>
    public async Task<Descriptor> AttachAsync(
        Descriptor subject, string artifactType, byte[] content, IReadOnlyDictionary<string, string> annotations,
        string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(annotations);
        var layer = new Descriptor
        {
            MediaType = artifactType,
            Digest = Digest.Compute(content).ToString(),
            Size = content.Length,
        };
        await _target.PushBlobAsync(Descriptor.EmptyJson(), () => new MemoryStream("{}"u8.ToArray()), null,
            operation, cancellationToken).ConfigureAwait(false);
        await _target.PushBlobAsync(layer, () => new MemoryStream(content), null, operation, cancellationToken)
            .ConfigureAwait(false);

        var manifestAnnotations = new SortedDictionary<string, string>(
            annotations.ToDictionary(a => a.Key, a => a.Value), StringComparer.Ordinal);
        manifestAnnotations.TryAdd(AnnotationKeys.Created,
            DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        var manifest = new ImageManifest
        {
            ArtifactType = artifactType,
            Layers = [layer],
            Subject = new Descriptor { MediaType = subject.MediaType, Digest = subject.Digest, Size = subject.Size },
            Annotations = manifestAnnotations,
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ContentJsonContext.Default.ImageManifest);
        var entry = new Descriptor
        {
            MediaType = MediaTypes.ImageManifest,
            Digest = Digest.Compute(bytes).ToString(),
            Size = bytes.Length,
            ArtifactType = artifactType,
            Annotations = manifestAnnotations,
        };
        await _referrers.AttachAsync(bytes, entry, subject.ParsedDigest(), operation, cancellationToken)
            .ConfigureAwait(false);
        return entry;
    }
}
