namespace Coffer.Content;

/// <summary>
/// Decides which platform a manifest is for: whether a stated platform satisfies a wanted one, and
/// which entry of an index to take. It reads nothing from a registry, so pull, fetch, attach and
/// copy share it.
/// </summary>
/// <remarks>
/// The operating system and architecture must be equal. The variant and the OS version count only
/// when the wanted platform names them, and the wanted OS features must all be present. As in
/// containerd's normalisation, <c>arm64</c> with variant <c>v8</c> is the same platform as
/// <c>arm64</c> with none, so <c>linux/arm64/v8</c> takes an entry stated as <c>linux/arm64</c> and
/// the other way round. Of several matching entries the first is taken, as the image spec asks.
/// </remarks>
public static class PlatformSelector
{
    /// <summary>True when <paramref name="candidate"/> is a platform <paramref name="wanted"/> accepts.</summary>
    public static bool Matches(Platform? candidate, Platform wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        if (candidate is null
            || !string.Equals(candidate.Os, wanted.Os, StringComparison.Ordinal)
            || !string.Equals(candidate.Architecture, wanted.Architecture, StringComparison.Ordinal))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(wanted.Variant)
            && !string.Equals(Variant(candidate), Variant(wanted), StringComparison.Ordinal))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(wanted.OsVersion)
            && !string.Equals(candidate.OsVersion, wanted.OsVersion, StringComparison.Ordinal))
        {
            return false;
        }

        return wanted.OsFeatures is not { Count: > 0 } features
            || features.All(f => candidate.OsFeatures?.Contains(f, StringComparer.Ordinal) == true);
    }

    /// <summary>The first entry whose platform matches, or null when none does.</summary>
    public static Descriptor? Select(IEnumerable<Descriptor> entries, Platform wanted)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries.FirstOrDefault(e => Matches(e.Platform, wanted));
    }

    /// <summary>The platforms the entries state, for a message: <c>linux/amd64, linux/arm64/v8</c>.</summary>
    public static string Describe(IEnumerable<Descriptor> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var platforms = entries.Where(e => e.Platform is not null).Select(e => e.Platform!.ToString())
            .Distinct(StringComparer.Ordinal).ToList();
        return platforms.Count == 0 ? "none (no entry states a platform)" : string.Join(", ", platforms);
    }

    // An empty variant and v8 name the same arm64 CPU.
    private static string Variant(Platform platform) =>
        platform.Architecture == "arm64" && platform.Variant == "v8" ? "" : platform.Variant ?? "";
}
