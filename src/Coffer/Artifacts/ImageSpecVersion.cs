namespace Coffer.Artifacts;

/// <summary>Which image-spec form a pushed manifest takes (<c>--image-spec</c>).</summary>
public enum ImageSpecVersion
{
    /// <summary>
    /// Image-spec 1.1, the default: an <c>artifactType</c> field and the empty config, or a config
    /// of its own beside an artifact type.
    /// </summary>
    V1Dot1,

    /// <summary>
    /// Image-spec 1.0, for registries that refuse the 1.1 fields: no <c>artifactType</c> and no
    /// <c>subject</c>; the config's media type is the artifact type.
    /// </summary>
    V1Dot0,
}
