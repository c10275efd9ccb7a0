namespace Coffer.Targets;

public sealed partial class OciLayout
{
    // A layout not written yet, or one with no index.json yet, has an empty index.
    private async Task<LayoutIndex> ReadIndexAsync(string operation, CancellationToken cancellationToken)
    {
        await _indexGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return ReadIndex(operation);
        }
        finally
        {
            _indexGate.Release();
        }
    }

    /// <summary>
    /// Reads <c>index.json</c> afresh, applies <paramref name="change"/>, and writes it back when the
    /// change says it changed something, one change at a time.
    /// </summary>
    private async Task UpdateIndexAsync(
        FolderLayoutFiles folder, Func<LayoutIndex, bool> change, string operation,
        CancellationToken cancellationToken)
    {
        await _indexGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var index = ReadIndex(operation);
            if (change(index))
            {
                folder.ReplaceTop(IndexFile, index.ToBytes());
            }
        }
        finally
        {
            _indexGate.Release();
        }
    }

    private LayoutIndex ReadIndex(string operation)
    {
        if (!_initialized)
        {
            return LayoutIndex.Parse(LayoutIndex.EmptyBytes(), operation);
        }

        var bytes = _files.ReadTop(IndexFile, MaxIndexBytes, operation) ?? LayoutIndex.EmptyBytes();
        return LayoutIndex.Parse(bytes, operation);
    }
}
