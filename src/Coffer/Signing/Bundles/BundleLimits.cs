namespace Coffer.Signing.Bundles;

/// <summary>Upper bounds on what one bundle may hold, so a hostile file cannot exhaust memory or time.</summary>
public static class BundleLimits
{
    /// <summary>The largest bundle file read, in bytes.</summary>
    public const int MaxBundleBytes = 16 * 1024 * 1024;

    /// <summary>The most transparency-log entries.</summary>
    public const int MaxTlogEntries = 32;

    /// <summary>The most certificates in a chain.</summary>
    public const int MaxCertificates = 10;

    /// <summary>The most hashes in an inclusion proof (a tree of 2^64 leaves needs 64).</summary>
    public const int MaxProofHashes = 64;

    /// <summary>The most RFC 3161 timestamps.</summary>
    public const int MaxTimestamps = 32;

    /// <summary>The most DSSE signatures read (a bundle must then have exactly one).</summary>
    public const int MaxDsseSignatures = 8;

    /// <summary>The largest DSSE payload, in bytes.</summary>
    public const int MaxPayloadBytes = 8 * 1024 * 1024;

    /// <summary>The most subjects of an in-toto statement.</summary>
    public const int MaxSubjects = 1024;
}
