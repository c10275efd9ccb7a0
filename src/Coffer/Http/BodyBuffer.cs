namespace Coffer.Http;

/// <summary>
/// Reads a response body into memory with a stall deadline: each read must bring data within the
/// given time, however long the whole body takes, so a server that sends the headers and then
/// nothing more cannot hold a command forever.
/// </summary>
internal static class BodyBuffer
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>
    /// Reads at most <paramref name="limit"/> + 1 bytes (one more than allowed, so the caller can tell
    /// a body that is too large) and puts them back as the response's content, headers kept. A body
    /// that declares more than the limit is not read at all: <see cref="BoundedBody"/> refuses it.
    /// </summary>
    /// <exception cref="TimeoutException">No data arrived within <paramref name="stall"/>.</exception>
    public static async Task BufferAsync(
        HttpResponseMessage response, int limit, TimeSpan stall, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            return;
        }

        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[ChunkBytes];
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (buffer.Length <= limit)
        {
            // Each read gets the whole stall time again: a slow body that keeps moving is fine.
            deadline.CancelAfter(stall);
            var wanted = (int)Math.Min(chunk.Length, limit + 1 - buffer.Length);
            int read;
            try
            {
                read = await stream.ReadAsync(chunk.AsMemory(0, wanted), deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"the body stalled: no data for {stall.TotalSeconds:0.#} s after {buffer.Length} bytes");
            }

            if (read == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, read);
        }

        var buffered = new ByteArrayContent(buffer.ToArray());
        foreach (var (name, values) in response.Content.Headers)
        {
            buffered.Headers.TryAddWithoutValidation(name, values);
        }

        response.Content.Dispose();
        response.Content = buffered;
    }
}
