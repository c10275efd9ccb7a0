namespace Coffer.Cli.Output;

/// <summary>
/// A time at which a signature provably existed: UTC in RFC 3339, what vouches for it
/// (<c>transparencyLog</c> or <c>timestampAuthority</c>), and that log's URL or authority's name.
/// </summary>
internal sealed class SignedTimeJson
{
    public required string Time { get; init; }

    public required string Source { get; init; }

    public required string Authority { get; init; }
}
