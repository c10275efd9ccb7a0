namespace Coffer.Targets;

/// <summary>Ways to open a blob's content for <see cref="ITarget.PushBlobAsync"/>.</summary>
public static class BlobSources
{
    /// <summary>
    /// Opens a seekable stream (a file, a buffer) for each attempt and seeks it to the offset.
    /// </summary>
    public static BlobOpener Seekable(Func<Stream> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        return (offset, _) =>
        {
            var stream = open();
            if (offset > 0)
            {
                try
                {
                    stream.Seek(offset, SeekOrigin.Begin);
                }
                catch
                {
                    stream.Dispose();
                    throw;
                }
            }

            return Task.FromResult(stream);
        };
    }
}
