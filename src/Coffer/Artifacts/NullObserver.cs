using Coffer.Content;

namespace Coffer.Artifacts;

/// <summary>An observer that ignores everything.</summary>
public sealed class NullObserver : ITransferObserver
{
    /// <summary>The shared instance.</summary>
    public static NullObserver Instance { get; } = new();

    /// <inheritdoc/>
    public void Started(Descriptor descriptor, string name)
    {
    }

    /// <inheritdoc/>
    public void Progress(Descriptor descriptor, long bytes)
    {
    }

    /// <inheritdoc/>
    public void Completed(Descriptor descriptor, string name, TransferOutcome outcome)
    {
    }
}
