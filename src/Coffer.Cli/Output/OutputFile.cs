using Coffer.Errors;

namespace Coffer.Cli.Output;

/// <summary>
/// Writes a file through a temporary file beside it, renamed into place only when the writer
/// finished (and verified) the content, so a failure leaves the old file or none.
/// </summary>
internal static class OutputFile
{
    public static async Task WriteAsync(string path, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            throw new UsageException($"-o {path} is a folder; name a file");
        }

        var folder = Path.GetDirectoryName(path) ?? ".";
        if (!Directory.Exists(folder))
        {
            throw new UsageException($"-o {path}: the folder {folder} does not exist");
        }

        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.coffer-{Guid.NewGuid():N}.partial");
        try
        {
            var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0,
                FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await write(file).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static Task WriteAsync(string path, byte[] content, CancellationToken cancellationToken) =>
        WriteAsync(path, stream => stream.WriteAsync(content, cancellationToken).AsTask(), cancellationToken);
}
