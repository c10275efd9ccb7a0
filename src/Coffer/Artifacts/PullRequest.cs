namespace Coffer.Artifacts;

/// <summary>Where and how to write the files of a pulled artifact.</summary>
public sealed class PullRequest
{
    /// <summary>
    /// The tag or digest to pull. When null, a repository's own reference decides; a layout needs it.
    /// </summary>
    public string? Reference { get; init; }

    /// <summary>The folder files are written under; created when missing.</summary>
    public string OutputDirectory { get; init; } = ".";

    /// <summary>Write titles that leave the output folder (trusting the producer).</summary>
    public bool AllowPathTraversal { get; init; }

    /// <summary>Fail instead of replacing files that already exist.</summary>
    public bool KeepOldFiles { get; init; }

    /// <summary>How many blobs download at once.</summary>
    public int Concurrency { get; init; } = 3;

    /// <summary>How long a download may go without receiving a byte.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Pull exactly this manifest, whatever the reference's tag points at now (set after the
    /// manifest's signature was verified).
    /// </summary>
    public Content.Digest? PinnedDigest { get; init; }

    /// <summary>
    /// Pull only the manifest for this platform: the matching entry of an index, or a single
    /// manifest once its config's platform (when it states one) is checked. Null pulls every
    /// image manifest an index lists.
    /// </summary>
    public Content.Platform? Platform { get; init; }

    /// <summary>How many times an interrupted download resumes before giving up.</summary>
    public int MaxResumes { get; init; } = 3;

    /// <summary>
    /// Give unpacked files and folders the modes stored in the layer (never setuid, setgid or sticky).
    /// </summary>
    public bool PreservePermissions { get; init; }

    /// <summary>The most bytes one directory layer may unpack to.</summary>
    public long MaxExtractSize { get; init; } = 8L << 30;

    /// <summary>The most entries one directory layer may hold.</summary>
    public int MaxExtractEntries { get; init; } = 100_000;
}
