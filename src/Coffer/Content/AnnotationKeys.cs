namespace Coffer.Content;

/// <summary>Annotation keys that Coffer reads and writes.</summary>
public static class AnnotationKeys
{
    /// <summary>The file name of a layer (OCI image spec, pre-defined annotation keys).</summary>
    public const string Title = "org.opencontainers.image.title";

    /// <summary>When the artifact was made, RFC 3339.</summary>
    public const string Created = "org.opencontainers.image.created";

    /// <summary>The digest of a directory layer's uncompressed tar (ORAS convention).</summary>
    public const string ContentDigest = "io.deis.oras.content.digest";

    /// <summary><c>"true"</c> when a layer is a directory that pullers unpack (ORAS convention).</summary>
    public const string Unpack = "io.deis.oras.content.unpack";
}
