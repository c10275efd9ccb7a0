using System.Net;
using System.Runtime.CompilerServices;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Targets;

namespace Coffer.Registry;

public sealed partial class Repository
{
    /// <summary>Blobs larger than this are uploaded in chunks, and a push hashes them while they upload.</summary>
    internal long ChunkThreshold => _options.ChunkThreshold;

    /// <summary>
    /// Uploads content whose digest is not known yet, while <paramref name="hash"/> works it out
    /// from a second read, so a large file is read for its digest in the time its upload takes anyway.
    /// <list type="number">
    /// <item>Step 1: open an upload session and start sending the chunks; start the hash.</item>
    /// <item>Step 2: once the digest is known, HEAD the blob.</item>
    /// <item>Step 3: when the repository has it, stop the upload after the chunk in flight and
    /// delete the session; otherwise send the rest (in one request, see <see cref="ChunkPacing"/>)
    /// and commit it with <c>PUT ?digest=</c>.</item>
    /// </list>
    /// Nothing is committed unless the HEAD said the blob is missing, so an existing blob is never
    /// written again (see
    /// <see cref="PushBlobAsync(Descriptor, BlobOpener, Action{long}, string, CancellationToken)"/>
    /// for why that matters).
    /// </summary>
    /// <param name="size">How many bytes to send; the hash must end with the same count.</param>
    /// <param name="open">Opens the content; called again for each attempt.</param>
    /// <param name="hash">Reads the content and returns its digest; it is cancelled when the upload fails.</param>
    /// <param name="progress">Receives counts of bytes sent.</param>
    /// <param name="operation">What this upload is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>True when the blob was uploaded, false when the registry had it already.</returns>
    internal async Task<bool> PushBlobWhileHashingAsync(
        long size, Func<Stream> open, Func<CancellationToken, Task<Digest>> hash, Action<long>? progress,
        string operation, CancellationToken cancellationToken)
    {
        // Step 1.
        var location = await StartUploadAsync(null, operation, cancellationToken).ConfigureAwait(false)
            ?? throw new CofferException($"{operation}: the registry opened no upload session");
        var session = new StrongBox<Uri>(location);
        var pacing = new ChunkPacing();
        using var stopHash = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var upload = SendChunksAsync(session, size, BlobSources.Seekable(open), progress, operation,
            cancellationToken, pacing);
        var hashing = Task.Run(() => hash(stopHash.Token), stopHash.Token);

        // The upload stops after the chunk in flight, so the session can still be deleted; after a
        // connection failure, asking the registry again would only wait out the retries once more.
        async Task AbandonAsync()
        {
            pacing.Stop();
            await Quietly(upload).ConfigureAwait(false);
            if (upload.Exception?.InnerException is not TransportException)
            {
                await DeleteUploadAsync(session.Value!, operation, cancellationToken).ConfigureAwait(false);
            }
        }

        // Step 2: an upload that fails first ends the hash too, and the other way round.
        Digest digest;
        bool exists;
        try
        {
            if (await Task.WhenAny(upload, hashing).ConfigureAwait(false) == upload && !upload.IsCompletedSuccessfully)
            {
                await stopHash.CancelAsync().ConfigureAwait(false);
                await Quietly(hashing).ConfigureAwait(false);
                await upload.ConfigureAwait(false);
            }

            digest = await hashing.ConfigureAwait(false);
            exists = await ResolveBlobAsync(digest, operation, cancellationToken).ConfigureAwait(false) is not null;
        }
        catch
        {
            await AbandonAsync().ConfigureAwait(false);
            throw;
        }

        // Step 3.
        if (exists)
        {
            await AbandonAsync().ConfigureAwait(false);
            return false;
        }

        pacing.Keep();
        await upload.ConfigureAwait(false);
        await CommitUploadAsync(session.Value!, digest, operation, cancellationToken).ConfigureAwait(false);
        return true;
    }

    // Ends an upload session that will not be committed. Best effort: a registry that cannot
    // delete it (or already dropped it) purges stale sessions itself.
    private async Task DeleteUploadAsync(Uri location, string operation, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        try
        {
            using var response = await _transport.SendAsync(
                new RegistryRequest
                {
                    Method = HttpMethod.Delete,
                    Uri = location,
                    Operation = operation,
                    Idempotent = true,
                },
                cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is not (HttpStatusCode.NoContent or HttpStatusCode.Accepted or HttpStatusCode.OK
                or HttpStatusCode.NotFound))
            {
                _transport.Log.Write($"{operation}: the upload session was not deleted ({(int)response.StatusCode})");
            }
        }
        catch (CofferException e)
        {
            _transport.Log.Write($"{operation}: the upload session was not deleted: {e.Message}");
        }
    }

    // Waits for a task that was cancelled or may have failed, when its outcome no longer matters.
    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The caller reports the failure that mattered.
        }
    }
}
