using System.Net;

namespace Coffer.Registry;

/// <summary>
/// Wraps a request body and calls back when it starts, each time part of it has gone out, and
/// once the whole body has been written. The caller arms a deadline on each call, so an upload
/// fails when the connection stops taking bytes, and the wait for the answer gets a deadline of
/// its own however long the upload itself took.
/// </summary>
internal sealed class SentSignalContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly Action _sent;

    public SentSignalContent(HttpContent inner, Action sent)
    {
        _inner = inner;
        _sent = sent;
        foreach (var (name, values) in inner.Headers)
        {
            Headers.TryAddWithoutValidation(name, values);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(
        Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _sent();
        await _inner.CopyToAsync(new WatchedWriteStream(stream, _sent), context, cancellationToken)
            .ConfigureAwait(false);
        _sent();
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
