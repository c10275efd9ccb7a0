using System.Net;
using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Registry;

public sealed partial class Repository
{
    /// <summary>The media type Coffer gives a blob whose type the registry does not know.</summary>
    public const string BlobMediaType = "application/octet-stream";

    /// <summary>Looks a blob up without fetching it: <c>HEAD /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>.</summary>
    /// <returns>The blob's descriptor, or null when the repository has no such blob.</returns>
    public async Task<Descriptor?> ResolveBlobAsync(
        Digest digest, string operation, CancellationToken cancellationToken = default)
    {
        using var response = await _transport.SendAsync(
            new RegistryRequest
            {
                Method = HttpMethod.Head,
                Uri = Url($"blobs/{digest}"),
                Operation = operation,
                Idempotent = true,
            },
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await _transport.ErrorAsync(response, operation, null, cancellationToken).ConfigureAwait(false);
        }

        return new Descriptor
        {
            MediaType = BlobMediaType,
            Digest = digest.ToString(),
            Size = response.Content.Headers.ContentLength
                ?? throw new CofferException($"{operation}: the registry did not say how large blob {digest} is"),
        };
    }

    /// <summary>
    /// Streams a blob into <paramref name="destination"/>, hashing it on the way, and fails when
    /// its digest, or its size against what the registry announced, does not match. The caller
    /// must discard what was written when this throws.
    /// </summary>
    /// <returns>The blob's descriptor, with the size that arrived.</returns>
    /// <exception cref="CofferException">The blob is missing, or its digest or size is wrong.</exception>
    public async Task<Descriptor> DownloadBlobAsync(
        Digest digest, Stream destination, string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var response = await OpenBlobAsync(digest, 0, operation, cancellationToken).ConfigureAwait(false);
        var announced = response.Content.Headers.ContentLength;
        using var hash = digest.CreateHash();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256 * 1024);
        long written = 0;
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    written += read;
                    if (written > announced)
                    {
                        throw Mismatch(
                            operation, digest, $"the registry sent more than the {announced} bytes it announced");
                    }

                    hash.AppendData(buffer, 0, read);
                    await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        if (announced is { } size && written != size)
        {
            throw Mismatch(operation, digest, $"{written} bytes arrived of the {size} announced");
        }

        var actual = Content.Digest.FromHash(digest.Algorithm, hash.GetHashAndReset());
        if (actual != digest)
        {
            throw Mismatch(operation, digest, $"the content's digest is {actual}");
        }

        return new Descriptor { MediaType = BlobMediaType, Digest = digest.ToString(), Size = written };
    }

    /// <summary>
    /// Opens a blob at <paramref name="offset"/> with a <c>Range</c> request. When the registry
    /// ignores the range, the bytes before the offset are read and dropped, so the stream always
    /// starts where it was asked to.
    /// </summary>
    public async Task<Stream> ReadBlobAsync(
        Digest digest, long offset, string operation, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var response = await OpenBlobAsync(digest, offset, operation, cancellationToken).ConfigureAwait(false);
        try
        {
            // A 206 counts only when its Content-Range starts at the offset.
            var honoured = offset == 0 || (response.StatusCode == HttpStatusCode.PartialContent
                && response.Content.Headers.ContentRange is { From: { } from } && from == offset);
            if (!honoured && response.StatusCode == HttpStatusCode.PartialContent)
            {
                response.Dispose();
                response = await OpenBlobAsync(digest, 0, operation, cancellationToken).ConfigureAwait(false);
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var stream = new ResponseStream(response, body);
            if (!honoured)
            {
                try
                {
                    await SkipAsync(stream, offset, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }

            return stream;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async Task SkipAsync(Stream stream, long count, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (count > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)),
                    cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException("the blob ended before the offset the download resumes at");
                }

                count -= read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static CofferException Mismatch(string operation, Digest digest, string what) => new(
        $"{operation}: blob {digest} does not match: {what}",
        "the registry or something on the way altered the content; nothing was kept",
        ExitCodes.VerificationFailed);
}
