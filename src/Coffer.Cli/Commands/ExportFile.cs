using Coffer.IO;

namespace Coffer.Cli.Commands;

/// <summary>
/// The file <c>push --export-manifest</c> writes: created under a temporary name beside its
/// destination when the push starts, renamed over the destination once the manifest is in it, and
/// deleted when the push fails, so a reader never sees half a manifest.
/// </summary>
internal sealed class ExportFile : IDisposable
{
    private readonly string _path;
    private readonly string _temporary;
    private readonly FileStream _stream;
    private bool _completed;

    private ExportFile(string path, string temporary, FileStream stream)
    {
        _path = path;
        _temporary = temporary;
        _stream = stream;
    }

    /// <summary>Creates the temporary file beside <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The folder cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be written.</exception>
    public static ExportFile Create(string path)
    {
        var temporary = path + $".coffer-{Guid.NewGuid():N}.partial";
        var stream = new FileStream(temporary, NewFile.Options(FileAccess.Write, null));
        return new ExportFile(path, temporary, stream);
    }

    /// <summary>Writes the manifest and flushes it.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(manifest, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renames the written file over the destination.</summary>
    public void Complete()
    {
        _stream.Dispose();
        File.Move(_temporary, _path, overwrite: true);
        _completed = true;
    }

    /// <summary>Closes the file and, unless it was completed, deletes it.</summary>
    public void Dispose()
    {
        _stream.Dispose();
        if (!_completed)
        {
            File.Delete(_temporary);
        }
    }
}
