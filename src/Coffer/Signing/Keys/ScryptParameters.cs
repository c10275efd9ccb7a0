namespace Coffer.Signing.Keys;

/// <summary>The scrypt cost settings of an encrypted key (spec-notes §5).</summary>
/// <param name="Cost">The CPU/memory cost <c>N</c>.</param>
/// <param name="BlockSize">The block size <c>r</c>.</param>
/// <param name="Parallelism">The parallelism <c>p</c>.</param>
internal readonly record struct ScryptParameters(long Cost, long BlockSize, long Parallelism)
{
    /// <summary>Older cosign releases: N=32768.</summary>
    public static readonly ScryptParameters Legacy = new(32768, 8, 1);

    /// <summary>What cosign writes today, and what Coffer writes: N=65536.</summary>
    public static readonly ScryptParameters Standard = new(65536, 8, 1);

    /// <summary>The OWASP recommendation: N=131072.</summary>
    public static readonly ScryptParameters Owasp = new(131072, 8, 1);

    /// <summary>
    /// True for the three settings cosign accepts. Anything else is refused before deriving, so
    /// a hostile file cannot make Coffer spend minutes or gigabytes on one attempt.
    /// </summary>
    public bool IsAccepted => this == Legacy || this == Standard || this == Owasp;

    /// <inheritdoc/>
    public override string ToString() => $"N={Cost}, r={BlockSize}, p={Parallelism}";
}
