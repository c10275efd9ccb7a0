namespace Coffer.Registry;

/// <summary>
/// Passes writes through to the connection in slices, calling back after each slice has gone
/// out, so a deadline can be pushed forward whenever the upload moves, and fire when it stops.
/// </summary>
internal sealed class WatchedWriteStream(Stream inner, Action moved) : Stream
{
    // Small enough that a slow link still moves one slice well within any deadline.
    private const int SliceBytes = 256 * 1024;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(
        ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (buffer.Length > 0)
        {
            var slice = buffer[..Math.Min(SliceBytes, buffer.Length)];
            await inner.WriteAsync(slice, cancellationToken).ConfigureAwait(false);
            moved();
            buffer = buffer[slice.Length..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        moved();
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
