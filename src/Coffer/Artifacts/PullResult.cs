using Coffer.Content;

namespace Coffer.Artifacts;

/// <summary>What a pull fetched and wrote.</summary>
/// <param name="Manifest">The descriptor of the manifest that was pulled.</param>
/// <param name="Files">The files written, in manifest order.</param>
/// <param name="SkippedLayers">How many layers had no title and were not written.</param>
public sealed record PullResult(Descriptor Manifest, IReadOnlyList<PulledFile> Files, int SkippedLayers)
{
    /// <summary>
    /// With <see cref="PullRequest.Platform"/>: the platform the pulled manifest states (its index
    /// entry's, or its config's); null when it states none, so the platform went unchecked.
    /// </summary>
    public Platform? Platform { get; init; }
}
