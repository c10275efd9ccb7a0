using Coffer.Content;
using Coffer.Errors;
using Coffer.Targets;

namespace Coffer.Registry;

public sealed partial class Repository
{
    /// <summary>
    /// Gets a blob from another repository of the same registry into this one, mounting it when the
    /// registry agrees (distribution spec, "Mounting a blob from another repository").
    /// <list type="number">
    /// <item>Step 1: HEAD the blob here; if it is here, stop. (A registry that cannot mount answers
    /// step 2 with a new session, and the blob would be copied again.)</item>
    /// <item>Step 2: <c>POST /v2/&lt;name&gt;/blobs/uploads/?mount=&lt;digest&gt;&amp;from=&lt;other&gt;</c>.
    /// 201 means mounted.</item>
    /// <item>Step 3: 202 means the registry opened an ordinary upload session instead; the blob is
    /// uploaded into it. A refusal (400, 401, 403, 404, 405) or a failed query (500, 501) falls back
    /// to an ordinary upload.</item>
    /// </list>
    /// </summary>
    /// <param name="descriptor">The blob's digest and size.</param>
    /// <param name="fromRepository">The repository, on this registry, that has the blob.</param>
    /// <param name="open">Opens the content for an upload, when one is needed.</param>
    /// <param name="progress">Receives counts of bytes sent.</param>
    /// <param name="operation">What this is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    public async Task<MountOutcome> MountOrPushBlobAsync(
        Descriptor descriptor, string fromRepository, BlobOpener open, Action<long>? progress, string operation,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentException.ThrowIfNullOrEmpty(fromRepository);
        ArgumentNullException.ThrowIfNull(open);

        // Step 1.
        var digest = descriptor.ParsedDigest();
        if (await ResolveBlobAsync(digest, operation, cancellationToken).ConfigureAwait(false) is not null)
        {
            return MountOutcome.Exists;
        }

        // Step 2.
        Uri? location;
        try
        {
            location = await StartUploadAsync((digest, fromRepository), operation, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RegistryException e) when (IsMountRefusal(e))
        {
            _transport.Log.Write($"{operation}: the registry refused to mount {digest} from {fromRepository} " +
                $"({(int)e.StatusCode}); uploading it instead");
            location = await StartUploadAsync(null, operation, cancellationToken).ConfigureAwait(false)
                ?? throw new CofferException($"{operation}: the registry opened no upload session");
        }

        if (location is null)
        {
            return MountOutcome.Mounted;
        }

        // Step 3.
        _transport.Log.Write($"{operation}: no mount of {digest} from {fromRepository}; uploading it");
        await UploadIntoAsync(location, descriptor, digest, open, progress, operation, cancellationToken)
            .ConfigureAwait(false);
        return MountOutcome.Uploaded;
    }
}
