using Coffer.Content;

namespace Coffer.Artifacts;

/// <summary>What a pull fetched and wrote.</summary>
/// <param name="Manifest">The descriptor of the manifest that was pulled.</param>
/// <param name="Files">The files written, in manifest order.</param>
/// <param name="SkippedLayers">How many layers had no title and were not written.</param>
public sealed record PullResult(Descriptor Manifest, IReadOnlyList<PulledFile> Files, int SkippedLayers);
