using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;

namespace Coffer.Targets;

public sealed partial class OciLayout
{
    private const int BufferSize = 1024 * 1024;
    private const int MaxResumes = 3;

    /// <inheritdoc/>
    public Task<Descriptor?> ResolveBlobAsync(
        Digest digest, string operation, CancellationToken cancellationToken = default) =>
        Task.FromResult(_files.BlobSize(digest) is { } size
            ? new Descriptor { MediaType = Repository.BlobMediaType, Digest = digest.ToString(), Size = size }
            : null);

    /// <summary>
    /// Writes a blob unless the layout has it: streamed into a temporary file, hashed on the way,
    /// and renamed to its digest only when digest and size match. A source that breaks off is
    /// opened again where it stopped, a few times.
    /// </summary>
    /// <returns>True when the blob was written, false when the layout had it already.</returns>
    public async Task<bool> PushBlobAsync(
        Descriptor descriptor, BlobOpener open, Action<long>? progress, string operation,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(open);
        var folder = Writable(operation);
        var digest = descriptor.ParsedDigest();
        if (_files.BlobSize(digest) is not null)
        {
            return false;
        }

        if (descriptor.Size < 0)
        {
            throw new CofferException($"{operation}: blob {digest} claims a negative size",
                "the manifest is damaged; do not use it", ExitCodes.VerificationFailed);
        }

        Initialize(folder);
        await WriteBlobAsync(folder, digest, descriptor.Size, open, progress, operation, cancellationToken)
            .ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public Task<Stream> ReadBlobAsync(
        Digest digest, long offset, string operation, CancellationToken cancellationToken = default) =>
        Task.FromResult(_files.OpenBlob(digest, offset, operation) ?? throw Missing(digest, operation));

    /// <inheritdoc/>
    public async Task<Descriptor> DownloadBlobAsync(
        Digest digest, Stream destination, string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var size = _files.BlobSize(digest) ?? throw Missing(digest, operation);
        var source = _files.OpenBlob(digest, 0, operation) ?? throw Missing(digest, operation);
        await using (source.ConfigureAwait(false))
        {
            using var hash = digest.CreateHash();
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
            long written = 0;
            try
            {
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    written += read;
                    hash.AppendData(buffer, 0, read);
                    await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }

            var actual = Digest.FromHash(digest.Algorithm, hash.GetHashAndReset());
            if (written != size || actual != digest)
            {
                throw Altered(digest, operation, $"its content's digest is {actual}");
            }

            return new Descriptor { MediaType = Repository.BlobMediaType, Digest = digest.ToString(), Size = written };
        }
    }

    /// <inheritdoc/>
    public async Task<byte[]> FetchBlobAsync(
        Descriptor descriptor, int limit, string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var digest = descriptor.ParsedDigest();
        if (descriptor.Size > limit)
        {
            throw new CofferException(
                $"{operation}: blob {digest} claims {descriptor.Size} bytes, over the {limit} read");
        }

        var size = _files.BlobSize(digest) ?? throw Missing(digest, operation);
        if (size > limit)
        {
            throw new CofferException($"{operation}: blob {digest} is larger than {limit} bytes; refusing to read it");
        }

        using var buffer = new MemoryStream();
        await DownloadBlobAsync(digest, buffer, operation, cancellationToken).ConfigureAwait(false);
        var content = buffer.ToArray();
        if (content.Length != descriptor.Size)
        {
            throw Altered(digest, operation, $"it is {content.Length} bytes, not the {descriptor.Size} described");
        }

        return content;
    }

    /// <inheritdoc/>
    public Task<bool> DeleteBlobAsync(Digest digest, string operation, CancellationToken cancellationToken = default) =>
        Task.FromResult(Writable(operation).DeleteBlob(digest));

    private async Task WriteBlobAsync(
        FolderLayoutFiles folder, Digest digest, long size, BlobOpener open, Action<long>? progress,
        string operation, CancellationToken cancellationToken)
    {
        var (file, temporary) = folder.CreateTemporaryBlob(digest);
        try
        {
            await using (file.ConfigureAwait(false))
            {
                using var hash = digest.CreateHash();
                long written = 0;
                var resumes = 0;
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
                try
                {
                    while (true)
                    {
                        try
                        {
                            written = await ReceiveAsync(open, file, hash, written, size, buffer, progress, digest,
                                operation, cancellationToken).ConfigureAwait(false);
                            break;
                        }
                        catch (Exception e) when (e is IOException or HttpRequestException or TimeoutException
                            && !cancellationToken.IsCancellationRequested && resumes < MaxResumes)
                        {
                            // The source broke off; read on from where the file ends.
                            resumes++;
                            written = file.Length;
                        }
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }

                if (written != size)
                {
                    throw Altered(digest, operation, $"{written} bytes arrived, not the {size} described");
                }

                var actual = Digest.FromHash(digest.Algorithm, hash.GetHashAndReset());
                if (actual != digest)
                {
                    throw Altered(digest, operation, $"the content's digest is {actual}");
                }

                file.Flush(flushToDisk: true);
            }

            folder.CommitBlob(temporary, digest);
            _writtenBlobs.Add(digest);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    // Copies from the source into the file from `written` on; returns the new length.
    private async Task<long> ReceiveAsync(
        BlobOpener open, FileStream file, System.Security.Cryptography.IncrementalHash hash, long written, long size,
        byte[] buffer, Action<long>? progress, Digest digest, string operation, CancellationToken cancellationToken)
    {
        var source = await open(written, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                // A descriptor's size is a claim; never keep more than it says.
                if (written + read > size)
                {
                    throw Altered(digest, operation, $"the source holds more than the {size} bytes described");
                }

                hash.AppendData(buffer, 0, read);
                try
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    // A full disk is not a broken source: no resume, and say so.
                    throw new CofferException($"{operation}: could not write into {Name}: {e.Message}",
                        "check free space and permissions of the layout folder; nothing was kept");
                }

                written += read;
                progress?.Invoke(read);
            }
        }

        return written;
    }

    private CofferException Missing(Digest digest, string operation) => new(
        $"{operation}: the layout {Name} has no blob {digest}",
        "check the digest; a layout whose manifest names a missing blob is incomplete");

    private static CofferException Altered(Digest digest, string operation, string what) => new(
        $"{operation}: blob {digest} does not match: {what}",
        "the content was altered at its source or on the way; nothing was kept",
        ExitCodes.VerificationFailed);
}
