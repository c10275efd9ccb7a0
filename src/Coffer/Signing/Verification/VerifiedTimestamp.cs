namespace Coffer.Signing.Verification;

/// <summary>A time at which the signature provably existed, with its source.</summary>
/// <param name="Time">The verified time.</param>
/// <param name="Source">What vouches for it.</param>
/// <param name="Authority">The log URL or the timestamp authority's name.</param>
public sealed record VerifiedTimestamp(DateTimeOffset Time, TimestampSource Source, string Authority);
