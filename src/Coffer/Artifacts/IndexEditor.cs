using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Artifacts;

/// <summary>
/// The entries of an index being built or updated. A manifest is listed once: adding a digest
/// that is already there changes nothing, and the caller is told so.
/// </summary>
public sealed class IndexEditor
{
    private readonly List<Descriptor> _entries;

    /// <summary>Starts from the entries an index has, or from none.</summary>
    public IndexEditor(IEnumerable<Descriptor>? entries = null)
    {
        _entries = [.. entries ?? []];
    }

    /// <summary>The entries, in order.</summary>
    public IReadOnlyList<Descriptor> Entries => _entries;

    /// <summary>True when an entry has this digest.</summary>
    public bool Contains(string digest) => _entries.Any(e => string.Equals(e.Digest, digest, StringComparison.Ordinal));

    /// <summary>Appends an entry unless its digest is listed already.</summary>
    /// <returns>False when the digest was listed, and nothing changed.</returns>
    public bool Add(Descriptor entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (Contains(entry.Digest))
        {
            return false;
        }

        _entries.Add(entry);
        return true;
    }

    /// <summary>Removes every entry with one of these digests; all of them must be listed.</summary>
    /// <param name="digests">The digests to remove.</param>
    /// <param name="index">The index, as the message names it.</param>
    /// <exception cref="CofferException">A digest is not in the index; nothing was removed.</exception>
    public void Remove(IReadOnlyCollection<Digest> digests, string index)
    {
        ArgumentNullException.ThrowIfNull(digests);
        var missing = digests.Select(d => d.ToString()).Where(d => !Contains(d)).Distinct(StringComparer.Ordinal)
            .ToList();
        if (missing.Count > 0)
        {
            throw new CofferException(
                $"{string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not in the index {index}",
                "--remove takes the digest of an entry; coffer manifest fetch --pretty shows them");
        }

        var remove = digests.Select(d => d.ToString()).ToHashSet(StringComparer.Ordinal);
        _entries.RemoveAll(e => remove.Contains(e.Digest));
    }
}
