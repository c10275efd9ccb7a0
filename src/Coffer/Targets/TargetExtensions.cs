using Coffer.Content;
using Coffer.Registry;

namespace Coffer.Targets;

/// <summary>Conveniences over <see cref="ITarget"/>.</summary>
public static class TargetExtensions
{
    /// <summary>Stores a blob read from a seekable stream that <paramref name="open"/> makes per attempt.</summary>
    /// <returns>True when the blob was stored, false when the target had it already.</returns>
    public static Task<bool> PushBlobAsync(
        this ITarget target, Descriptor descriptor, Func<Stream> open, Action<long>? progress, string operation,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.PushBlobAsync(descriptor, BlobSources.Seekable(open), progress, operation, cancellationToken);
    }

    /// <summary>
    /// The target with a tag or digest, as messages write it: <c>name:tag</c> or <c>name@digest</c>.
    /// A repository without an explicit reference is named by the reference it was opened with.
    /// </summary>
    public static string Describe(this ITarget target, string? reference)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target is Repository repository
            && (reference is null || reference == repository.Reference.ManifestReference))
        {
            return repository.Reference.ToString();
        }

        if (reference is null)
        {
            return target.Name;
        }

        return Digest.TryParse(reference, out _, out _) ? $"{target.Name}@{reference}" : $"{target.Name}:{reference}";
    }
}
