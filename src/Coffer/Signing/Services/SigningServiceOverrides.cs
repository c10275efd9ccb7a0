namespace Coffer.Signing.Services;

/// <summary>
/// URLs given on the command line (<c>--fulcio-url</c>, <c>--rekor-url</c>,
/// <c>--timestamp-server-url</c>) that replace what the signing config selects.
/// </summary>
public sealed record SigningServiceOverrides
{
    /// <summary>The Fulcio base URL.</summary>
    public Uri? FulcioUrl { get; init; }

    /// <summary>The Rekor v1 base URL.</summary>
    public Uri? RekorUrl { get; init; }

    /// <summary>The RFC 3161 timestamp endpoint.</summary>
    public Uri? TimestampUrl { get; init; }
}
