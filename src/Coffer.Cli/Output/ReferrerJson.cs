namespace Coffer.Cli.Output;

/// <summary>
/// One node of the referrer graph <c>discover</c> prints, as ORAS nests it: the referrer's reference and
/// descriptor, and its own referrers (always a list, <c>[]</c> at the leaves).
/// </summary>
internal sealed class ReferrerJson
{
    public required string Reference { get; init; }

    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public required IReadOnlyDictionary<string, string> Annotations { get; init; }

    public string? ArtifactType { get; init; }

    public required IReadOnlyList<ReferrerJson> Referrers { get; init; }
}
