using Coffer.Content;

namespace Coffer.Artifacts;

/// <summary>
/// Progress of a blob that starts uploading before its digest is known: bytes sent before then
/// are held back, and reported at once when the blob is announced with its descriptor.
/// </summary>
internal sealed class DeferredProgress(ITransferObserver observer)
{
    private readonly Lock _gate = new();
    private Descriptor? _descriptor;
    private long _pending;

    /// <summary>The descriptor the blob was announced with, once it is known.</summary>
    public Descriptor? Descriptor => Volatile.Read(ref _descriptor);

    /// <summary>Counts bytes sent.</summary>
    public void Add(long bytes)
    {
        if (Volatile.Read(ref _descriptor) is { } known)
        {
            observer.Progress(known, bytes);
            return;
        }

        lock (_gate)
        {
            if (_descriptor is null)
            {
                _pending += bytes;
                return;
            }
        }

        observer.Progress(_descriptor, bytes);
    }

    /// <summary>Announces the blob and reports what was sent so far.</summary>
    public void Start(Descriptor descriptor, string name)
    {
        lock (_gate)
        {
            observer.Started(descriptor, name);
            if (_pending > 0)
            {
                observer.Progress(descriptor, _pending);
            }

            Volatile.Write(ref _descriptor, descriptor);
        }
    }
}
