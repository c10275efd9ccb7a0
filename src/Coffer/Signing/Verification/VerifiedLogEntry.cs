namespace Coffer.Signing.Verification;

/// <summary>A transparency-log entry that verified against a trusted log.</summary>
/// <param name="LogId">The log id, base64.</param>
/// <param name="LogUrl">The log's base URL from the trusted root.</param>
/// <param name="LogIndex">The global index of the entry.</param>
/// <param name="IntegratedTime">The integrated time, when a signed entry timestamp vouches for it.</param>
/// <param name="Kind">The entry kind and version, such as <c>hashedrekord/0.0.1</c>.</param>
public sealed record VerifiedLogEntry(
    string LogId, string? LogUrl, long LogIndex, DateTimeOffset? IntegratedTime, string Kind);
