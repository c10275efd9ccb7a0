namespace Coffer.Artifacts;

/// <summary>How a blob transfer ended.</summary>
public enum TransferOutcome
{
    /// <summary>The bytes were sent or received.</summary>
    Transferred,

    /// <summary>The registry already had the blob.</summary>
    Exists,

    /// <summary>The blob was not needed (pull of an untitled layer).</summary>
    Skipped,

    /// <summary>The registry linked the blob from another repository; no bytes moved (copy).</summary>
    Mounted,
}
