namespace Coffer.Signing.Verification;

/// <summary>Where a verified time came from.</summary>
public enum TimestampSource
{
    /// <summary>A Rekor v1 integrated time whose signed entry timestamp verified.</summary>
    TransparencyLog,

    /// <summary>An RFC 3161 timestamp from a trusted timestamp authority.</summary>
    TimestampAuthority,
}
