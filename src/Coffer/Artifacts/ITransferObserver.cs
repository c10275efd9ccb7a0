using Coffer.Content;

namespace Coffer.Artifacts;

/// <summary>Receives the progress of a push or pull, blob by blob.</summary>
public interface ITransferObserver
{
    /// <summary>A blob transfer starts.</summary>
    void Started(Descriptor descriptor, string name);

    /// <summary>Some bytes of a blob moved.</summary>
    void Progress(Descriptor descriptor, long bytes);

    /// <summary>A blob is done.</summary>
    void Completed(Descriptor descriptor, string name, TransferOutcome outcome);
}
