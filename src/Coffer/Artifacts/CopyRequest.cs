using Coffer.Content;
using Coffer.Registry;

namespace Coffer.Artifacts;

/// <summary>What to copy, and where to tag it.</summary>
public sealed class CopyRequest
{
    /// <summary>The tag or digest of the artifact at the source.</summary>
    public required string Reference { get; init; }

    /// <summary>
    /// The tags to give the copy. When empty, the copy gets the source's tag, or only its digest when
    /// the source was named by digest.
    /// </summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Copy the referrers too (signatures, SBOMs, attachments), and theirs.</summary>
    public bool Recursive { get; init; }

    /// <summary>
    /// Copy only the manifest for this platform out of an index (<c>--platform</c>); null copies
    /// what the reference names, whole.
    /// </summary>
    public Platform? Platform { get; init; }

    /// <summary>How many blobs are copied at once.</summary>
    public int Concurrency { get; init; } = 3;

    /// <summary>How referrers are found at the source.</summary>
    public ReferrersMode SourceReferrersMode { get; init; }

    /// <summary>How referrers are recorded at the destination.</summary>
    public ReferrersMode DestinationReferrersMode { get; init; }
}
