using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Http;
using Coffer.Targets;

namespace Coffer.Registry;

/// <summary>
/// The manifest and blob endpoints of one repository (OCI distribution spec, "Pull" and "Push").
/// </summary>
public sealed partial class Repository : ITarget
{
    /// <summary>The largest manifest Coffer reads, the limit most registries enforce too.</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    private const int MaxUploadRestarts = 3;

    /// <summary>How many times a manifest refused for a missing blob is sent (see PushManifestAsync).</summary>
    private const int MaxBlobUnknownAttempts = 8;

    private readonly RegistryTransport _transport;
    private readonly RegistryClientOptions _options;

    // A registry that refused one mount query refuses the next ones too: they go straight to HEAD.
    private volatile bool _mountRefused;

    internal Repository(RegistryTransport transport, Reference reference, RegistryClientOptions options)
    {
        _transport = transport;
        _options = options;
        Reference = reference;
    }

    /// <summary>The reference the repository was opened with.</summary>
    public Reference Reference { get; }

    /// <summary><c>registry/repository</c>, without tag or digest.</summary>
    public string Name => $"{Reference.Registry}/{Reference.Repository}";

    /// <inheritdoc/>
    public TargetKind Kind => TargetKind.Registry;

    /// <summary>Checks the registry: <c>GET /v2/</c>.</summary>
    public Task PingAsync(CancellationToken cancellationToken = default) =>
        _transport.PingAsync($"ping {Reference.Registry}", cancellationToken);

    /// <summary>Fetches a manifest by tag or digest, refusing bodies over <see cref="MaxManifestBytes"/>.</summary>
    /// <param name="tagOrDigest">The tag or digest.</param>
    /// <param name="operation">What this fetch is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    public async Task<FetchedManifest> FetchManifestAsync(
        string tagOrDigest, string operation, CancellationToken cancellationToken = default)
    {
        // The first hash of a process loads the crypto library, and the first manifest read builds
        // the JSON metadata of its types; each takes a millisecond or more: do both while the
        // request is out.
        var algorithm = Content.Digest.TryParse(tagOrDigest, out var asked, out _) ? asked.Algorithm : "sha256";
        var hashing = Task.Run(() => Content.Digest.CreateHash(algorithm), CancellationToken.None);
        ContentJsonContext.Prepare();
        try
        {
            return await FetchManifestAsync(tagOrDigest, algorithm, hashing, operation, cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            (await hashing.ConfigureAwait(false)).Dispose();
        }
    }

    private async Task<FetchedManifest> FetchManifestAsync(
        string tagOrDigest, string algorithm, Task<System.Security.Cryptography.IncrementalHash> hashing,
        string operation, CancellationToken cancellationToken)
    {
        using var response = await _transport.SendAsync(
            new RegistryRequest
            {
                Method = HttpMethod.Get,
                Uri = Url($"manifests/{tagOrDigest}"),
                Operation = operation,
                Accept = MediaTypes.ManifestAccept,
                Idempotent = true,
                BufferLimit = MaxManifestBytes,
            },
            cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await _transport.ErrorAsync(response, operation, null, cancellationToken).ConfigureAwait(false);
        }

        if (response.Content.Headers.ContentLength > MaxManifestBytes)
        {
            throw new CofferException(
                $"{operation}: the manifest is {response.Content.Headers.ContentLength} bytes, over the " +
                $"{MaxManifestBytes / 1024 / 1024} MiB limit; refusing to read it",
                "a manifest this large is not an artifact Coffer made; check the reference");
        }

        var content = await ReadCappedAsync(response, MaxManifestBytes, operation, cancellationToken)
            .ConfigureAwait(false);
        var hash = await hashing.ConfigureAwait(false);
        hash.AppendData(content);
        var digest = Content.Digest.FromHash(algorithm, hash.GetHashAndReset());
        if (Content.Digest.TryParse(tagOrDigest, out var expected, out _) && expected != digest)
        {
            throw new CofferException(
                $"{operation}: the registry served a manifest whose digest is {digest}, not the {expected} asked for",
                "the registry or something between it and you altered the content; do not use it",
                ExitCodes.VerificationFailed);
        }

        // The registry states the digest it stored; bytes that hash otherwise were changed.
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var stated)
            && Content.Digest.TryParse(stated.FirstOrDefault(), out var claimed, out _)
            && claimed.Algorithm == digest.Algorithm && claimed != digest)
        {
            throw new CofferException(
                $"{operation}: the registry says the manifest is {claimed}, but its bytes hash to {digest}",
                "the registry's storage or something between it and you altered the manifest; do not use it",
                ExitCodes.VerificationFailed);
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (string.IsNullOrEmpty(mediaType) || mediaType == "application/json")
        {
            mediaType = ProbeMediaType(content) ?? MediaTypes.ImageManifest;
        }

        return new FetchedManifest(content, mediaType, digest);
    }

    /// <summary>
    /// Looks a manifest up without fetching it: <c>HEAD</c> by tag or digest.
    /// </summary>
    /// <returns>The manifest's descriptor, or null when the registry has no such manifest.</returns>
    public async Task<Descriptor?> ResolveAsync(
        string tagOrDigest, string operation, CancellationToken cancellationToken = default)
    {
        using var response = await _transport.SendAsync(
            new RegistryRequest
            {
                Method = HttpMethod.Head,
                Uri = Url($"manifests/{tagOrDigest}"),
                Operation = operation,
                Accept = MediaTypes.ManifestAccept,
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

        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values)
            ? values.FirstOrDefault()
            : null;
        if (digest is null || !Content.Digest.TryParse(digest, out _, out _))
        {
            // Without the header, only the bytes can say what the digest is.
            var fetched = await FetchManifestAsync(tagOrDigest, operation, cancellationToken).ConfigureAwait(false);
            return fetched.ToDescriptor();
        }

        return new Descriptor
        {
            MediaType = response.Content.Headers.ContentType?.MediaType ?? MediaTypes.ImageManifest,
            Digest = digest,
            Size = response.Content.Headers.ContentLength ?? 0,
        };
    }

    /// <summary>
    /// Pushes a manifest under a tag or its digest, and reports whether the registry indexed its
    /// <c>subject</c> (it answers with <c>OCI-Subject</c> when it did).
    /// </summary>
    public async Task<PushedManifest> PushManifestAsync(
        string tagOrDigest, byte[] content, string mediaType, string operation,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await PutManifestAsync(tagOrDigest, content, mediaType, operation, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (RegistryException e) when (e.HasCode("MANIFEST_BLOB_UNKNOWN") && attempt < MaxBlobUnknownAttempts)
            {
                // Distribution without its blob descriptor cache reads a blob's link file for every
                // check, and another client that uploads or mounts the blob again rewrites that file
                // in place; a moment later the blob is found.
                // Pushes that mount the same blobs rewrite that file many times a second (with four
                // clients re-pushing into one repository, a fifth of manifest PUTs were refused), so
                // there are several short pauses, jittered to fall out of step with the other clients;
                // a blob that is really missing is still reported within about a second and a half.
                _transport.Log.Write($"{operation}: the registry did not find a blob of the manifest " +
                    $"(attempt {attempt}); sending it again");
                var pause = Math.Min(25 << attempt, 200) + Random.Shared.Next(25);
                await Task.Delay(TimeSpan.FromMilliseconds(pause), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<PushedManifest> PutManifestAsync(
        string tagOrDigest, byte[] content, string mediaType, string operation, CancellationToken cancellationToken)
    {
        using var response = await _transport.SendAsync(
            new RegistryRequest
            {
                Method = HttpMethod.Put,
                Uri = Url($"manifests/{tagOrDigest}"),
                Operation = operation,
                Idempotent = true,
                Content = () =>
                {
                    var body = new ByteArrayContent(content);
                    body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
                    return body;
                },
            },
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created && !response.IsSuccessStatusCode)
        {
            throw ManifestRefusal.Explain(
                await _transport.ErrorAsync(response, operation, null, cancellationToken).ConfigureAwait(false),
                content);
        }

        // OCI distribution 1.1: a registry that indexes referrers answers with OCI-Subject.
        return new PushedManifest(Content.Digest.Compute(content), response.Headers.Contains("OCI-Subject"));
    }

    /// <summary>Lists the referrers of a manifest with the registry's referrers API.</summary>
    /// <returns>The referrers, or null when the registry has no referrers API.</returns>
    public async Task<IReadOnlyList<Descriptor>?> ListReferrersAsync(
        Digest subject, string? artifactType, string operation, CancellationToken cancellationToken = default)
    {
        var index = await ReferrersApiAsync(subject, artifactType, operation, cancellationToken).ConfigureAwait(false);
        return index?.Manifests;
    }

    /// <summary>Lists the referrers of a manifest with the referrers API.</summary>
    /// <returns>The index the registry served, or null when the registry has no referrers API.</returns>
    internal async Task<ImageIndex?> ReferrersApiAsync(
        Digest subject, string? artifactType, string operation, CancellationToken cancellationToken)
    {
        var query = artifactType is null ? "" : "?artifactType=" + Uri.EscapeDataString(artifactType);
        using var response = await _transport.SendAsync(
            new RegistryRequest
            {
                Method = HttpMethod.Get,
                Uri = Url($"referrers/{subject}{query}"),
                Operation = operation,
                Accept = MediaTypes.ImageIndex,
                Idempotent = true,
                BufferLimit = MaxManifestBytes,
            },
            cancellationToken).ConfigureAwait(false);
        var type = response.Content.Headers.ContentType?.MediaType;
        if (response.StatusCode == HttpStatusCode.OK && type == MediaTypes.ImageIndex)
        {
            var content = await ReadCappedAsync(response, MaxManifestBytes, operation, cancellationToken)
                .ConfigureAwait(false);
            try
            {
                return JsonSerializer.Deserialize(content, ContentJsonContext.Default.ImageIndex);
            }
            catch (JsonException e)
            {
                throw new CofferException($"{operation}: the referrers index is not valid JSON: {e.Message}");
            }
        }

        if (response.StatusCode == HttpStatusCode.NotFound || response.StatusCode == HttpStatusCode.OK
            || response.StatusCode == HttpStatusCode.MethodNotAllowed)
        {
            var error = await _transport.ErrorAsync(response, operation, null, cancellationToken).ConfigureAwait(false);

            // A JSON NAME_UNKNOWN means the repository is missing, not the API.
            if (error.HasCode("NAME_UNKNOWN"))
            {
                throw error;
            }

            return null;
        }

        throw await _transport.ErrorAsync(response, operation, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Uploads a blob unless the repository has it. A small blob is asked for with a mount from
    /// this same repository, which answers 201 when the blob is here and otherwise opens the upload
    /// session in that one request; a large one gets a HEAD before its session is opened.
    /// </summary>
    /// <param name="descriptor">The blob's digest and size.</param>
    /// <param name="open">Opens the content; called again for each attempt.</param>
    /// <param name="progress">Receives counts of bytes sent.</param>
    /// <param name="operation">What this upload is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>True when the blob was uploaded, false when the registry had it already.</returns>
    public Task<bool> PushBlobAsync(
        Descriptor descriptor, Func<Stream> open, Action<long>? progress, string operation,
        CancellationToken cancellationToken = default) =>
        PushBlobAsync(descriptor, BlobSources.Seekable(open), progress, operation, cancellationToken);

    /// <summary>
    /// Uploads a blob unless the repository has it (see the overload above), reading it through
    /// <paramref name="open"/>, which may be another target's blob.
    /// </summary>
    /// <returns>True when the blob was uploaded, false when the registry had it already.</returns>
    public async Task<bool> PushBlobAsync(
        Descriptor descriptor, BlobOpener open, Action<long>? progress, string operation,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(open);
        var digest = descriptor.ParsedDigest();
        var location = descriptor.Size <= _options.MountProbeLimit && !_mountRefused
            ? await ProbeByMountAsync(digest, operation, cancellationToken).ConfigureAwait(false)
            : await ProbeByHeadAsync(digest, operation, cancellationToken).ConfigureAwait(false);
        if (location is null)
        {
            return false;
        }

        await UploadIntoAsync(location, descriptor, digest, open, progress, operation, cancellationToken)
            .ConfigureAwait(false);
        return true;
    }

    // A mount from the repository itself: 201 means the blob is here, 202 brings an upload session.
    // A registry that refuses the query is asked the long way.
    private async Task<Uri?> ProbeByMountAsync(Digest digest, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await StartUploadAsync((digest, Reference.Repository), operation, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RegistryException e) when (IsMountRefusal(e))
        {
            _mountRefused = true;
            _transport.Log.Write($"{operation}: the registry refused a mount query ({(int)e.StatusCode}); " +
                "asking with a HEAD instead, for this blob and the next ones");
            return await ProbeByHeadAsync(digest, operation, cancellationToken).ConfigureAwait(false);
        }
    }

    // HEAD, then an upload session when the blob is missing; null when it is here.
    private async Task<Uri?> ProbeByHeadAsync(Digest digest, string operation, CancellationToken cancellationToken)
    {
        if (await ResolveBlobAsync(digest, operation, cancellationToken).ConfigureAwait(false) is not null)
        {
            return null;
        }

        return await StartUploadAsync(null, operation, cancellationToken).ConfigureAwait(false)
            ?? throw new CofferException($"{operation}: the registry opened no upload session");
    }

    // A mount only saves requests, so a registry that fails the query (500, 501) rather than the
    // upload still gets the blob the ordinary way; a registry that is really down fails that too.
    private static bool IsMountRefusal(RegistryException e) =>
        e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
            or HttpStatusCode.MethodNotAllowed or HttpStatusCode.BadRequest or HttpStatusCode.InternalServerError
            or HttpStatusCode.NotImplemented;

    // Sends a blob into an open upload session: whole when small, in chunks when large or when the
    // registry refuses a whole body.
    private async Task UploadIntoAsync(
        Uri location, Descriptor descriptor, Digest digest, BlobOpener open, Action<long>? progress,
        string operation, CancellationToken cancellationToken)
    {
        if (descriptor.Size <= _options.ChunkThreshold)
        {
            using var response = await PutWholeAsync(location, descriptor, digest, open, progress, operation,
                cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                return;
            }

            if (response.StatusCode != HttpStatusCode.RequestEntityTooLarge)
            {
                throw await _transport.ErrorAsync(response, operation, null, cancellationToken).ConfigureAwait(false);
            }

            // The registry or a proxy limits request bodies: start over in chunks.
            _transport.Log.Write($"{operation}: 413 on a monolithic upload; switching to chunks");
            location = await StartUploadAsync(null, operation, cancellationToken).ConfigureAwait(false)
                ?? throw new CofferException($"{operation}: the registry opened no upload session");
        }

        await UploadChunksAsync(location, descriptor, digest, open, progress, operation, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Fetches a small blob whole, refusing more than <paramref name="limit"/> bytes, and checks its digest.
    /// </summary>
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

        using var response = await OpenBlobAsync(digest, 0, limit, operation, cancellationToken)
            .ConfigureAwait(false);
        var content = await BoundedBody.ReadAsync(
            response,
            limit,
            () => new CofferException($"{operation}: blob {digest} is larger than {limit} bytes; refusing to read it"),
            cancellationToken).ConfigureAwait(false);
        if (!digest.Matches(content) || content.Length != descriptor.Size)
        {
            throw new CofferException(
                $"{operation}: blob {digest} does not match its digest or size",
                "the registry or something on the way altered it", ExitCodes.VerificationFailed);
        }

        return content;
    }

    /// <summary>Opens a blob for reading, from an offset when resuming.</summary>
    /// <returns>The response; its status is 200, or 206 when the range was honoured.</returns>
    public Task<HttpResponseMessage> OpenBlobAsync(
        Digest digest, long offset, string operation, CancellationToken cancellationToken = default) =>
        OpenBlobAsync(digest, offset, null, operation, cancellationToken);

    // With a buffer limit, a small blob is read whole under the transport's stall deadline.
    private async Task<HttpResponseMessage> OpenBlobAsync(
        Digest digest, long offset, int? bufferLimit, string operation, CancellationToken cancellationToken)
    {
        var response = await _transport.SendAsync(
            new RegistryRequest
            {
                Method = HttpMethod.Get,
                Uri = Url($"blobs/{digest}"),
                Operation = operation,
                Idempotent = true,
                Headers = offset > 0 ? [new("Range", $"bytes={offset}-")] : [],
                BufferLimit = bufferLimit,
            },
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.PartialContent)
        {
            return response;
        }

        using (response)
        {
            throw await _transport.ErrorAsync(response, operation, null, cancellationToken).ConfigureAwait(false);
        }
    }

    // Opens an upload session; with a mount, null when the registry answers that it linked the blob.
    private async Task<Uri?> StartUploadAsync(
        (Digest Digest, string From)? mount, string operation, CancellationToken cancellationToken)
    {
        var query = mount is { } asked
            ? $"?mount={Uri.EscapeDataString(asked.Digest.ToString())}&from={Uri.EscapeDataString(asked.From)}"
            : "";
        using var response = await _transport.SendAsync(
            new RegistryRequest
            {
                Method = HttpMethod.Post,
                Uri = Url("blobs/uploads/" + query),
                Operation = operation,
                Idempotent = true,
            },
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created && mount is { } linked)
        {
            // A 201 that names another digest has not confirmed this blob: it is uploaded instead.
            if (response.Headers.TryGetValues("Docker-Content-Digest", out var stated)
                && stated.FirstOrDefault() is { } named && named != linked.Digest.ToString())
            {
                _transport.Log.Write($"{operation}: the mount of {linked.Digest} was answered for {named}; " +
                    "uploading the blob");
                return await StartUploadAsync(null, operation, cancellationToken).ConfigureAwait(false);
            }

            return null;
        }

        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw await _transport.ErrorAsync(response, operation, null, cancellationToken).ConfigureAwait(false);
        }

        return UploadLocation(response, operation);
    }

    // A monolithic PUT that lost its connection may have left part of the body in the session,
    // so it is retried in a fresh session rather than resent into the same one.
    private async Task<HttpResponseMessage> PutWholeAsync(
        Uri location, Descriptor descriptor, Digest digest, BlobOpener open, Action<long>? progress,
        string operation, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await _transport.SendAsync(
                    new RegistryRequest
                    {
                        Method = HttpMethod.Put,
                        Uri = WithDigest(location, digest),
                        Operation = operation,
                        Content = () => new UploadContent(open, 0, descriptor.Size, progress),
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (TransportException) when (attempt < MaxUploadRestarts)
            {
                await Task.Delay(TimeSpan.FromSeconds(1 << attempt), cancellationToken).ConfigureAwait(false);
                location = await StartUploadAsync(null, operation, cancellationToken).ConfigureAwait(false)
                    ?? throw new CofferException($"{operation}: the registry opened no upload session");
            }
        }
    }

    private async Task UploadChunksAsync(
        Uri location, Descriptor descriptor, Digest digest, BlobOpener open, Action<long>? progress,
        string operation, CancellationToken cancellationToken)
    {
        var session = new StrongBox<Uri>(location);
        await SendChunksAsync(session, descriptor.Size, open, progress, operation, cancellationToken)
            .ConfigureAwait(false);
        await CommitUploadAsync(session.Value!, digest, operation, cancellationToken).ConfigureAwait(false);
    }

    // Sends the content in chunks. The box always holds the session's newest Location, so the
    // caller can commit the upload, or delete the session, when this returns or fails. A pacing,
    // when given, can end the upload at the next chunk boundary or send the rest in one request.
    private async Task SendChunksAsync(
        StrongBox<Uri> session, long size, BlobOpener open, Action<long>? progress, string operation,
        CancellationToken cancellationToken, ChunkPacing? pacing = null)
    {
        long offset = 0;
        var resumes = 0;
        while (offset < size)
        {
            if (pacing?.Stopped == true)
            {
                throw new OperationCanceledException($"{operation}: the upload was stopped at a chunk boundary");
            }

            var rest = pacing?.SendRest == true;
            var length = rest ? size - offset : Math.Min(_options.ChunkSize, size - offset);
            var start = offset;
            HttpResponseMessage response;
            try
            {
                response = await _transport.SendAsync(
                    new RegistryRequest
                    {
                        Method = HttpMethod.Patch,
                        Uri = session.Value!,
                        Operation = operation,
                        Headers = [new("Content-Range", $"{start}-{start + length - 1}")],
                        Content = () => new UploadContent(open, start, length, progress),
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (TransportException) when (resumes < MaxUploadRestarts && pacing?.Stopped != true)
            {
                resumes++;
                pacing?.ChunksOnly();
                await Task.Delay(TimeSpan.FromSeconds(resumes), cancellationToken).ConfigureAwait(false);
                (session.Value, offset) = await ResumeUploadAsync(session.Value!, operation, cancellationToken)
                    .ConfigureAwait(false);
                continue;
            }

            using var _ = response;
            if (rest && response.StatusCode == HttpStatusCode.RequestEntityTooLarge)
            {
                // Nothing of a refused body is kept: the same session goes on from the same offset.
                _transport.Log.Write($"{operation}: 413 on the rest of the upload in one request; back to chunks");
                pacing!.ChunksOnly();
                continue;
            }

            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw await _transport.ErrorAsync(response, operation, null, cancellationToken).ConfigureAwait(false);
            }

            // Each answer carries a new Location (distribution rotates its _state); always use the newest.
            session.Value = UploadLocation(response, operation);
            offset += length;
        }
    }

    // The session outlives a dropped connection (or a registry restart): ask how much arrived and
    // go on from there. Distribution 2.8 refuses to answer once a chunk arrived in part, since the
    // offset signed into the newest Location is then behind the session; the upload then starts
    // over in a fresh session.
    private async Task<(Uri Location, long Offset)> ResumeUploadAsync(
        Uri location, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await UploadStatusAsync(location, operation, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest
            or HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            _transport.Log.Write($"{operation}: the upload session cannot resume ({(int)e.StatusCode}); starting over");
            var fresh = await StartUploadAsync(null, operation, cancellationToken).ConfigureAwait(false)
                ?? throw new CofferException($"{operation}: the registry opened no upload session");
            return (fresh, 0);
        }
    }

    // PUT ?digest= with an empty body ends a chunked upload and stores the blob.
    private async Task CommitUploadAsync(Uri location, Digest digest, string operation,
        CancellationToken cancellationToken)
    {
        using var done = await _transport.SendAsync(
            new RegistryRequest
            {
                Method = HttpMethod.Put,
                Uri = WithDigest(location, digest),
                Operation = operation,
                Idempotent = true,
                Content = () => new ByteArrayContent([]),
            },
            cancellationToken).ConfigureAwait(false);
        if (done.StatusCode != HttpStatusCode.Created)
        {
            throw await _transport.ErrorAsync(done, operation, null, cancellationToken).ConfigureAwait(false);
        }
    }

    // GET on an upload session answers 204 with Range: 0-<last byte received>.
    private async Task<(Uri Location, long Offset)> UploadStatusAsync(
        Uri location, string operation, CancellationToken cancellationToken)
    {
        using var response = await _transport.SendAsync(
            new RegistryRequest
            {
                Method = HttpMethod.Get,
                Uri = location,
                Operation = operation,
                Idempotent = true,
            },
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw await _transport.ErrorAsync(response, operation, null, cancellationToken).ConfigureAwait(false);
        }

        var range = response.Headers.TryGetValues("Range", out var values) ? values.FirstOrDefault() : null;
        var dash = range?.LastIndexOf('-') ?? -1;
        if (dash < 0 || !long.TryParse(range![(dash + 1)..], System.Globalization.CultureInfo.InvariantCulture,
            out var last))
        {
            throw new CofferException($"{operation}: the registry did not say how much of the upload arrived");
        }

        var next = response.Headers.Location is null ? location : UploadLocation(response, operation);

        // "0-0" is what distribution answers for an empty session.
        return (next, last == 0 && range.StartsWith("0-0", StringComparison.Ordinal) ? 0 : last + 1);
    }

    private Uri UploadLocation(HttpResponseMessage response, string operation)
    {
        var location = response.Headers.Location
            ?? throw new CofferException(
                $"{operation}: the registry answered {(int)response.StatusCode} without an upload Location",
                "the registry does not follow the distribution spec here; report it to its operator");
        var absolute = location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);

        // An upload URL elsewhere would receive the blob and, worse, the credential.
        if (!Origin.Same(absolute, _transport.BaseUri))
        {
            throw new CofferException(
                $"{operation}: the registry sent the upload to another origin, {Origin.Of(absolute)}; refusing",
                "uploads and credentials stay on the registry's own origin; report this registry to its operator");
        }

        return absolute;
    }

    private static Uri WithDigest(Uri location, Digest digest)
    {
        var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        return new Uri(location.AbsoluteUri + separator + "digest=" + Uri.EscapeDataString(digest.ToString()));
    }

    private Uri Url(string path) => new(_transport.BaseUri, $"/v2/{Reference.Repository}/{path}");

    private static string? ProbeMediaType(byte[] content)
    {
        try
        {
            var probe = JsonSerializer.Deserialize(content, ContentJsonContext.Default.ManifestProbe);
            return probe?.MediaType ?? (probe?.Manifests is not null ? MediaTypes.ImageIndex : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]> ReadCappedAsync(
        HttpResponseMessage response, int limit, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await BoundedBody.ReadAsync(
                response,
                limit,
                () => new CofferException(
                    $"{operation}: the manifest is larger than {limit / 1024 / 1024} MiB; refusing to read it"),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // A connection that dies mid-body is a transport failure, like one that dies before the headers.
            throw new TransportException($"{operation}: the connection failed while reading the body: {e.Message}",
                e);
        }
    }
}
