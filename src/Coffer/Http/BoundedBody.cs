namespace Coffer.Http;

/// <summary>Reads small response bodies whole, but never past a limit, whatever the headers claim.</summary>
public static class BoundedBody
{
    /// <summary>
    /// Reads the body, throwing <paramref name="tooLarge"/>'s exception past <paramref name="limit"/> bytes,
    /// or before reading anything when the body declares a larger <c>Content-Length</c>.
    /// </summary>
    public static async Task<byte[]> ReadAsync(
        HttpResponseMessage response, int limit, Func<Exception> tooLarge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(tooLarge);
        if (response.Content.Headers.ContentLength > limit)
        {
            throw tooLarge();
        }

        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw tooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
