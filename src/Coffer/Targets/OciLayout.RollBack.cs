using System.Collections.Concurrent;
using Coffer.Content;

namespace Coffer.Targets;

public sealed partial class OciLayout
{
    // What this object wrote, so that a command that fails part way can take it back.
    private readonly ConcurrentBag<Digest> _writtenBlobs = [];
    private readonly ConcurrentBag<Digest> _addedUntagged = [];
    private IReadOnlyList<string> _madeFolders = [];
    private bool _made;

    /// <summary>
    /// Takes back what this object wrote, for a command that failed part way. A layout it made (in a
    /// missing or empty folder) is removed again, with the folders made for it. In a layout that was
    /// there before, the untagged <c>index.json</c> entries it added are removed; the blobs it wrote
    /// stay, as they are content-addressed and change nothing a reader sees.
    /// </summary>
    /// <param name="operation">What the undo is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the undo.</param>
    /// <exception cref="IOException">A file could not be removed.</exception>
    public async Task RollBackAsync(string operation, CancellationToken cancellationToken = default)
    {
        if (_folder is not { } folder)
        {
            return;
        }

        if (_made)
        {
            folder.Remove(_writtenBlobs, [MarkerFile, IndexFile], _madeFolders);
            _made = false;
            _initialized = false;
            return;
        }

        var added = _addedUntagged.ToHashSet();
        if (added.Count > 0)
        {
            await UpdateIndexAsync(folder, index => index.RemoveUntagged(added) > 0, operation,
                cancellationToken).ConfigureAwait(false);
        }
    }

    // The folder and those of its parents that do not exist yet, the deepest first.
    private static List<string> MissingFolders(string full)
    {
        var missing = new List<string>();
        for (var folder = full; folder is not null && !Directory.Exists(folder);
            folder = Path.GetDirectoryName(folder))
        {
            missing.Add(folder);
        }

        return missing;
    }
}
