namespace Coffer.Testing;

/// <summary>Settings for a <see cref="FakeRegistry"/>.</summary>
public sealed class FakeRegistryOptions
{
    /// <summary>When set (with <see cref="Password"/>), every /v2/ request needs this Basic user.</summary>
    public string? Username { get; set; }

    /// <summary>The Basic password that goes with <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>The realm in the Basic challenge.</summary>
    public string Realm { get; set; } = "coffer-fake";

    /// <summary>Give upload Locations as absolute URLs (like distribution) instead of relative paths.</summary>
    public bool AbsoluteLocations { get; set; }

    /// <summary>Refuse manifest PUTs larger than this (distribution 2.8: 4 MiB).</summary>
    public int MaxManifestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Refuse manifests whose config, layers or index children are not in the repository,
    /// as distribution does (MANIFEST_BLOB_UNKNOWN / MANIFEST_UNKNOWN).</summary>
    public bool CheckManifestReferences { get; set; } = true;

    /// <summary>Hide OCI manifests from GET/HEAD without a matching Accept header, as distribution 2.8
    /// does (404 MANIFEST_UNKNOWN).</summary>
    public bool RequireManifestAccept { get; set; } = true;

    /// <summary>Serve the OCI 1.1 referrers API and the OCI-Subject header. When false, the referrers
    /// route answers 404 text/plain like distribution 2.8.</summary>
    public bool SupportReferrers { get; set; } = true;
}
