using Coffer.Content;

namespace Coffer.Registry;

/// <summary>A manifest as the registry served it, with the digest of its exact bytes.</summary>
/// <param name="Content">The bytes, exactly as served.</param>
/// <param name="MediaType">The media type from <c>Content-Type</c>, or from the body's <c>mediaType</c>.</param>
/// <param name="Digest">The digest of <paramref name="Content"/>.</param>
public sealed record FetchedManifest(byte[] Content, string MediaType, Digest Digest)
{
    /// <summary>A descriptor of this manifest.</summary>
    public Descriptor ToDescriptor() => new()
    {
        MediaType = MediaType,
        Digest = Digest.ToString(),
        Size = Content.Length,
    };
}
