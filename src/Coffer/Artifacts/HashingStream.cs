using System.Security.Cryptography;

namespace Coffer.Artifacts;

/// <summary>
/// Passes bytes through to an inner stream, hashing and counting them on the way, in one
/// direction only: reads when wrapping a source, writes when wrapping a sink. Reading past
/// <see cref="Limit"/> bytes fails, so a decompressed stream cannot grow without bound.
/// </summary>
internal sealed class HashingStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public HashingStream(Stream inner, bool leaveOpen, long limit = long.MaxValue)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        Limit = limit;
    }

    /// <summary>How many bytes may pass before reading fails.</summary>
    public long Limit { get; }

    /// <summary>How many bytes have passed.</summary>
    public long Count { get; private set; }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => Count;
        set => throw new NotSupportedException();
    }

    /// <summary>The SHA-256 digest of every byte that passed.</summary>
    public Content.Digest Digest() => Content.Digest.FromHash("sha256", _hash.GetCurrentHash());

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        Count += read;
        if (Count > Limit)
        {
            throw new Errors.CofferException(
                $"the unpacked layer is larger than {Limit} bytes, the limit for one directory",
                "if you trust the producer, raise the limit with --max-extract-size");
        }

        _hash.AppendData(buffer[..read]);
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _inner.Write(buffer);
        _hash.AppendData(buffer);
        Count += buffer.Length;
    }

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
