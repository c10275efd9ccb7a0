using Coffer.Content;

namespace Coffer.Artifacts;

/// <summary>A file a pull wrote.</summary>
/// <param name="Path">The full path of the file.</param>
/// <param name="Descriptor">The layer it came from.</param>
public sealed record PulledFile(string Path, Descriptor Descriptor);
