using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Targets;

/// <summary>
/// The files of an OCI image layout, wherever they are kept: a folder (read and write) or a tar
/// (read only). Blob names come only from parsed digests, so no name read from the layout ever
/// becomes a path.
/// </summary>
internal abstract class LayoutFiles : IDisposable
{
    /// <summary>The folder or tar file, as a full path.</summary>
    public abstract string Location { get; }

    /// <summary>
    /// Reads a file at the top of the layout (<c>oci-layout</c>, <c>index.json</c>) whole, or
    /// returns null when it is missing.
    /// </summary>
    /// <exception cref="CofferException">The file is larger than <paramref name="limit"/>.</exception>
    public abstract byte[]? ReadTop(string name, int limit, string operation);

    /// <summary>The size of a blob, or null when the layout does not have it.</summary>
    public abstract long? BlobSize(Digest digest);

    /// <summary>Opens a blob from <paramref name="offset"/> on, or returns null when it is missing.</summary>
    /// <exception cref="CofferException">
    /// The blob is not a regular file; the message starts with <paramref name="operation"/>.
    /// </exception>
    public abstract Stream? OpenBlob(Digest digest, long offset, string operation);

    /// <inheritdoc/>
    public virtual void Dispose()
    {
    }

    /// <summary>
    /// Reads a stream to its end, failing past <paramref name="limit"/> bytes whatever it claims to hold.
    /// </summary>
    protected static byte[] ReadBounded(Stream stream, string name, int limit, string operation)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new CofferException(
                    $"{operation}: the layout's {name} is larger than {limit / 1024 / 1024} MiB; refusing to read it",
                    "a layout this large was not made by an OCI client; check the path");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
