namespace Coffer.Content;

/// <summary>Media types from the OCI image specification and the conventions ORAS follows.</summary>
public static class MediaTypes
{
    /// <summary>An OCI image manifest.</summary>
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>An OCI image index.</summary>
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>A Docker schema 2 manifest.</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>A Docker manifest list.</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>The empty JSON object <c>{}</c>, used as the config of an artifact (image-spec 1.1).</summary>
    public const string Empty = "application/vnd.oci.empty.v1+json";

    /// <summary>An uncompressed tar layer; ORAS uses it for plain files too.</summary>
    public const string LayerTar = "application/vnd.oci.image.layer.v1.tar";

    /// <summary>A gzip-compressed tar layer; ORAS uses it for directories.</summary>
    public const string LayerTarGzip = "application/vnd.oci.image.layer.v1.tar+gzip";

    /// <summary>The artifact type ORAS writes when none is given.</summary>
    public const string UnknownArtifact = "application/vnd.unknown.artifact.v1";

    /// <summary>The config media type ORAS writes for an image-spec 1.0 artifact when none is given.</summary>
    public const string UnknownConfig = "application/vnd.unknown.config.v1+json";

    /// <summary>An OCI image config, which states the image's platform.</summary>
    public const string ImageConfig = "application/vnd.oci.image.config.v1+json";

    /// <summary>A Docker image config, which states the image's platform too.</summary>
    public const string DockerImageConfig = "application/vnd.docker.container.image.v1+json";

    /// <summary>The manifest types a pull asks for, as an <c>Accept</c> header value.</summary>
    public const string ManifestAccept =
        ImageManifest + ", " + ImageIndex + ", " + DockerManifest + ", " + DockerManifestList;

    /// <summary>True for an OCI image index or a Docker manifest list.</summary>
    public static bool IsIndex(string? mediaType) => mediaType is ImageIndex or DockerManifestList;

    /// <summary>True for an OCI image manifest or a Docker schema 2 manifest.</summary>
    public static bool IsImageManifest(string? mediaType) => mediaType is ImageManifest or DockerManifest;

    /// <summary>
    /// Checks a media type against the grammar of RFC 6838 §4.2 (<c>type/subtype</c>, restricted
    /// names), which is what the OCI specification requires and excludes colons.
    /// </summary>
    public static bool IsValid(string? mediaType)
    {
        if (string.IsNullOrEmpty(mediaType) || mediaType.Length > 255)
        {
            return false;
        }

        var slash = mediaType.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == mediaType.Length - 1)
        {
            return false;
        }

        return IsRestrictedName(mediaType.AsSpan(0, slash)) && IsRestrictedName(mediaType.AsSpan(slash + 1));
    }

    private static bool IsRestrictedName(ReadOnlySpan<char> name)
    {
        if (name.Length is 0 or > 127 || !char.IsAsciiLetterOrDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && "!#$&-^_.+".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }
}
