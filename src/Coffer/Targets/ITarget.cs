using Coffer.Content;
using Coffer.Registry;

namespace Coffer.Targets;

/// <summary>
/// Where artifacts are read from and written to: a repository in a registry, or an OCI image
/// layout on disk. Manifests are addressed by tag or digest, blobs by digest. Every method that
/// returns content checks it against its digest, except <see cref="ReadBlobAsync"/>, whose caller
/// hashes what it reads.
/// </summary>
public interface ITarget
{
    /// <summary>
    /// The target as messages name it, without tag or digest: <c>registry/repository</c>, or the
    /// layout's path as given.
    /// </summary>
    string Name { get; }

    /// <summary>Whether this is a registry repository or an OCI image layout.</summary>
    TargetKind Kind { get; }

    /// <summary>Fetches a manifest by tag or digest, checked against the digest when one is given.</summary>
    /// <param name="tagOrDigest">The tag or digest.</param>
    /// <param name="operation">What this fetch is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <exception cref="Errors.CofferException">The manifest is missing, too large or does not match.</exception>
    Task<FetchedManifest> FetchManifestAsync(
        string tagOrDigest, string operation, CancellationToken cancellationToken = default);

    /// <summary>Looks a manifest up by tag or digest.</summary>
    /// <returns>The manifest's descriptor, or null when the target has no such manifest.</returns>
    Task<Descriptor?> ResolveAsync(
        string tagOrDigest, string operation, CancellationToken cancellationToken = default);

    /// <summary>Stores a manifest under a tag, or under its digest alone.</summary>
    /// <param name="tagOrDigest">The tag, or the manifest's own digest.</param>
    /// <param name="content">The exact bytes.</param>
    /// <param name="mediaType">The manifest's media type.</param>
    /// <param name="operation">What this push is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the push.</param>
    /// <returns>The digest, and whether the target indexed the manifest's <c>subject</c> itself.</returns>
    Task<PushedManifest> PushManifestAsync(
        string tagOrDigest, byte[] content, string mediaType, string operation,
        CancellationToken cancellationToken = default);

    /// <summary>Deletes a manifest by digest, with every tag that points at it.</summary>
    /// <returns>True when it was deleted, false when the target had no such manifest.</returns>
    Task<bool> DeleteManifestAsync(Digest digest, string operation, CancellationToken cancellationToken = default);

    /// <summary>Looks a blob up without reading it.</summary>
    /// <returns>The blob's descriptor (its size, a generic media type), or null when it is missing.</returns>
    Task<Descriptor?> ResolveBlobAsync(Digest digest, string operation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a blob unless the target has it already. The content must match the descriptor's
    /// digest and size; the target refuses to keep anything else.
    /// </summary>
    /// <param name="descriptor">The blob's digest and size.</param>
    /// <param name="open">Opens the content; called again for each attempt.</param>
    /// <param name="progress">Receives counts of bytes stored.</param>
    /// <param name="operation">What this push is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the push.</param>
    /// <returns>True when the blob was stored, false when the target had it already.</returns>
    Task<bool> PushBlobAsync(
        Descriptor descriptor, BlobOpener open, Action<long>? progress, string operation,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a blob for reading from <paramref name="offset"/> on. The bytes are not checked: the
    /// caller hashes them and decides.
    /// </summary>
    /// <exception cref="Errors.CofferException">The blob is missing.</exception>
    Task<Stream> ReadBlobAsync(
        Digest digest, long offset, string operation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams a blob into <paramref name="destination"/>, failing when its digest or size does not
    /// match. The caller must discard what was written when this throws.
    /// </summary>
    /// <returns>The blob's descriptor, with the size that arrived.</returns>
    Task<Descriptor> DownloadBlobAsync(
        Digest digest, Stream destination, string operation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a small blob whole, refusing more than <paramref name="limit"/> bytes, and checks its
    /// digest and size against the descriptor.
    /// </summary>
    Task<byte[]> FetchBlobAsync(
        Descriptor descriptor, int limit, string operation, CancellationToken cancellationToken = default);

    /// <summary>Deletes a blob.</summary>
    /// <returns>True when it was deleted, false when the target had no such blob.</returns>
    Task<bool> DeleteBlobAsync(Digest digest, string operation, CancellationToken cancellationToken = default);

    /// <summary>Lists the tags, in the target's order, after <paramref name="last"/> when given.</summary>
    Task<IReadOnlyList<string>> TagsAsync(
        string? last, string operation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the manifests whose <c>subject</c> is <paramref name="subject"/>, as the target itself
    /// knows them: a registry's referrers API, or a scan of a layout's manifests.
    /// </summary>
    /// <param name="subject">The subject's digest.</param>
    /// <param name="artifactType">Keep only this artifact type, or null for all (a target may ignore it).</param>
    /// <param name="operation">What this listing is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The referrers, or null when the target has no such listing (a registry without the API),
    /// in which case the referrers tag schema applies.</returns>
    Task<IReadOnlyList<Descriptor>?> ListReferrersAsync(
        Digest subject, string? artifactType, string operation, CancellationToken cancellationToken = default);
}
