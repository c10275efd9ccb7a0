using System.Security.Cryptography;
using Coffer.Content;
using Coffer.Errors;
using Coffer.IO;
using Coffer.Targets;

namespace Coffer.Artifacts;

/// <summary>
/// A blob of one target, opened for an upload to another and checked while it is read: the bytes
/// are hashed in order, and the read that completes the blob checks the digest (and that nothing
/// follows) before it hands its bytes on, so a destination never receives the whole of a wrong
/// blob. A re-open from the start (a retried upload) hashes afresh; a re-open further on (the next
/// chunk, a resumed chunk) hashes only bytes it has not hashed yet.
/// </summary>
internal sealed class VerifiedBlobSource
{
    private readonly ITarget _source;
    private readonly Digest _digest;
    private readonly long _size;
    private readonly string _operation;
    private readonly Lock _gate = new();
    private IncrementalHash _hash;
    private long _hashed;

    public VerifiedBlobSource(ITarget source, Descriptor descriptor, string operation)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        _source = source;
        _digest = descriptor.ParsedDigest();
        _size = descriptor.Size;
        _operation = operation;
        _hash = _digest.CreateHash();
    }

    /// <summary>The opener to hand to <see cref="ITarget.PushBlobAsync"/>.</summary>
    public BlobOpener Opener => OpenAsync;

    private async Task<Stream> OpenAsync(long offset, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (offset == 0 && _hashed > 0)
            {
                _hash.Dispose();
                _hash = _digest.CreateHash();
                _hashed = 0;
            }

            if (offset > _hashed)
            {
                throw new InvalidOperationException(
                    $"a read of {_digest} starts at {offset}, past the {_hashed} bytes hashed");
            }
        }

        var inner = await _source.ReadBlobAsync(_digest, offset, _operation, cancellationToken).ConfigureAwait(false);
        return new Reader(this, inner, offset);
    }

    // Takes the bytes at [position, position + count) into the hash; throws when they end the blob
    // and the digest is wrong.
    private void Take(ReadOnlySpan<byte> bytes, long position, Stream inner)
    {
        lock (_gate)
        {
            var end = position + bytes.Length;
            if (end > _hashed)
            {
                _hash.AppendData(bytes[(int)(_hashed - position)..]);
                _hashed = end;
            }

            if (end < _size)
            {
                return;
            }

            Span<byte> probe = stackalloc byte[1];
            if (inner.Read(probe) > 0)
            {
                throw Mismatch($"the source holds more than the {_size} bytes described");
            }

            var actual = Digest.FromHash(_digest.Algorithm, _hash.GetCurrentHash());
            if (actual != _digest)
            {
                throw Mismatch($"the content's digest is {actual}");
            }
        }
    }

    private CofferException Mismatch(string what) => new(
        $"{_operation}: blob {_digest} does not match: {what}",
        "the source altered the content or something on the way did; the destination kept nothing of it",
        ExitCodes.VerificationFailed);

    private sealed class Reader(VerifiedBlobSource owner, Stream inner, long position) : ForwardReadStream
    {
        private long _position = position;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var wanted = Math.Min(buffer.Length, owner._size - _position);
            if (wanted <= 0)
            {
                return 0;
            }

            var read = inner.Read(buffer[..(int)wanted]);
            return Account(buffer[..read]);
        }

        public override async ValueTask<int> ReadAsync(
            Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var wanted = Math.Min(buffer.Length, owner._size - _position);
            if (wanted <= 0)
            {
                return 0;
            }

            var read = await inner.ReadAsync(buffer[..(int)wanted], cancellationToken).ConfigureAwait(false);
            return Account(buffer.Span[..read]);
        }

        public override Task<int> ReadAsync(
            byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Account(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length == 0)
            {
                throw owner.Mismatch($"the source ended after {_position} of the {owner._size} bytes described");
            }

            owner.Take(bytes, _position, inner);
            _position += bytes.Length;
            return bytes.Length;
        }
    }
}
