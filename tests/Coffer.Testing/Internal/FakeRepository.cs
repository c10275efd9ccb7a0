namespace Coffer.Testing.Internal;

/// <summary>The blobs, manifests and tags of one repository in the fake registry.</summary>
internal sealed class FakeRepository
{
    public Dictionary<string, byte[]> Blobs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FakeManifest> Manifests { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
}
