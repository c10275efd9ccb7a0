using Coffer.Content;

namespace Coffer.Artifacts;

/// <summary>A file a pull wrote.</summary>
/// <param name="Path">The full path of the file; for an unpacked folder, ending with a separator.</param>
/// <param name="Descriptor">The layer it came from.</param>
public sealed record PulledFile(string Path, Descriptor Descriptor);
