namespace Coffer.Registry;

/// <summary>
/// Paces a chunked upload that starts before anyone knows whether it will be kept. Until told,
/// it goes in chunks, so it can end cleanly at a chunk boundary (distribution can delete such a
/// session, but not one cut off half way through a chunk). Told to keep going, it sends the rest
/// in one request, since every chunk boundary makes distribution flush the file before it reads
/// on; if that request is refused (413) or breaks off, the rest goes in chunks after all.
/// </summary>
internal sealed class ChunkPacing
{
    private volatile bool _stop;
    private volatile bool _keep;
    private volatile bool _chunksOnly;

    /// <summary>True once no further chunk may start.</summary>
    public bool Stopped => _stop;

    /// <summary>True when the next request should carry everything left.</summary>
    public bool SendRest => _keep && !_chunksOnly;

    /// <summary>Ends the upload after the chunk in flight.</summary>
    public void Stop() => _stop = true;

    /// <summary>The upload will be kept: send what is left in one request.</summary>
    public void Keep() => _keep = true;

    /// <summary>The one-request rest failed; go back to chunks.</summary>
    public void ChunksOnly() => _chunksOnly = true;
}
