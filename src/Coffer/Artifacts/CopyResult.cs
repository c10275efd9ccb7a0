using Coffer.Content;

namespace Coffer.Artifacts;

/// <summary>What a copy did.</summary>
/// <param name="Manifest">The copied root manifest.</param>
/// <param name="Tags">The tags it was given at the destination; empty when it was copied by digest only.</param>
/// <param name="Referrers">
/// The referrers copied with it (with <see cref="CopyRequest.Recursive"/>), in copy order.
/// </param>
/// <param name="BlobsCopied">Blobs whose bytes were sent.</param>
/// <param name="BlobsExisting">Blobs the destination had already.</param>
/// <param name="BlobsMounted">Blobs the registry mounted from the source repository.</param>
public sealed record CopyResult(
    Descriptor Manifest,
    IReadOnlyList<string> Tags,
    IReadOnlyList<Descriptor> Referrers,
    int BlobsCopied,
    int BlobsExisting,
    int BlobsMounted);
