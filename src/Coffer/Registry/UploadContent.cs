using System.Net;
using Coffer.Targets;

namespace Coffer.Registry;

/// <summary>
/// A request body that streams a range of a blob (or all of it) without buffering it, and
/// reports bytes as they go out.
/// </summary>
internal sealed class UploadContent : HttpContent
{
    private const int BufferSize = 1024 * 1024;

    private readonly BlobOpener _open;
    private readonly long _offset;
    private readonly long _length;
    private readonly Action<long>? _progress;

    public UploadContent(BlobOpener open, long offset, long length, Action<long>? progress)
    {
        _open = open;
        _offset = offset;
        _length = length;
        _progress = progress;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        Headers.ContentLength = length;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(
        Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var source = await _open(_offset, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                var remaining = _length;
                while (remaining > 0)
                {
                    var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)),
                        cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new IOException("the file became shorter while it was being uploaded");
                    }

                    await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    remaining -= read;
                    _progress?.Invoke(read);
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
