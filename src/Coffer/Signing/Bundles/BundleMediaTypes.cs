namespace Coffer.Signing.Bundles;

/// <summary>The bundle media types (spec-notes §1.1).</summary>
public static class BundleMediaTypes
{
    /// <summary>Version 0.1.</summary>
    public const string V01 = "application/vnd.dev.sigstore.bundle+json;version=0.1";

    /// <summary>Version 0.2.</summary>
    public const string V02 = "application/vnd.dev.sigstore.bundle+json;version=0.2";

    /// <summary>Version 0.3 in the old spelling, accepted as equal to <see cref="V03"/>.</summary>
    public const string V03Legacy = "application/vnd.dev.sigstore.bundle+json;version=0.3";

    /// <summary>Version 0.3, the string producers emit.</summary>
    public const string V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /// <summary>The version a media type names, or <see cref="BundleVersion.Unknown"/>.</summary>
    public static BundleVersion VersionOf(string? mediaType) => mediaType switch
    {
        V01 => BundleVersion.V01,
        V02 => BundleVersion.V02,
        V03 or V03Legacy => BundleVersion.V03,
        _ => BundleVersion.Unknown,
    };
}
