using System.Diagnostics;
using System.Security.Cryptography;
using Coffer.Artifacts;
using Coffer.Errors;
using Coffer.Registry;
using Coffer.Registry.Auth;
using Coffer.Testing;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace Coffer.Tests.Faults;

/// <summary>
/// Every push and pull step against every fault a registry or network can throw, a bounded number
/// of times: the library either recovers within its retries or fails with a clear error, and never
/// leaves a partial file behind or gets a corrupt blob stored. A stalled request is always given up
/// by the client's own deadline, never left to the server to drop. Push steps run for a small file
/// (a mount query that opens the session, then one PUT), for a file above the mount-probe limit
/// (HEAD, POST, PUT) and for a file above the chunk threshold (chunks sent while it is hashed, then
/// a HEAD and the committing PUT).
/// </summary>
public sealed class FaultMatrixTests(ITestOutputHelper output)
{
    public enum RequestStep
    {
        MountProbe,
        BlobHead,
        UploadPost,
        BlobPut,
        ManifestPut,
        UploadPatch,
        StreamedHead,
        UploadCommit,
        ManifestGet,
        BlobGet,
    }

    public enum Fault
    {
        Reset,
        Stall,
        StallMidBody,
        Truncated,
        WrongBody,
        Status500,
        Status503RetryAfter,
        Status429,
        Unauthorized401Once,
    }

    /// <summary>How a push is made to reach a step.</summary>
    private enum PushShape
    {
        Small,
        HeadFirst,
        Chunked,
    }

    private const string User = "matrix";
    private const string Password = "matrix-pw-123456";
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(30);

    /// <summary>How long a stalling server holds a request before it gives up and drops it.</summary>
    private static readonly TimeSpan ServerStall = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Large enough that a server which stops reading half way leaves more than loopback and
    /// Kestrel buffer, so the client's write itself blocks.
    /// </summary>
    private const int StalledUploadBytes = 40 * 1024 * 1024;

    public static TheoryData<RequestStep, Fault> Cases()
    {
        var data = new TheoryData<RequestStep, Fault>();
        foreach (var step in Enum.GetValues<RequestStep>())
        {
            foreach (var fault in Enum.GetValues<Fault>())
            {
                var applies = fault switch
                {
                    Fault.Truncated or Fault.WrongBody => IsPull(step),
                    Fault.StallMidBody => step is RequestStep.ManifestGet or RequestStep.BlobGet
                        or RequestStep.BlobPut or RequestStep.UploadPatch,
                    _ => true,
                };
                if (applies)
                {
                    data.Add(step, fault);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Step_WithFault_RecoversOrFailsCleanly(RequestStep step, Fault fault)
    {
        await using var registry = await FakeRegistry.StartAsync(
            new FakeRegistryOptions { Username = User, Password = Password });
        var content = new byte[fault == Fault.StallMidBody && !IsPull(step) ? StalledUploadBytes : 48 * 1024];
        Random.Shared.NextBytes(content);
        var digest = FakeArtifact.Digest(content);
        var budget = fault is Fault.Reset or Fault.Status500 or Fault.Status429 ? 2 : 1;
        var hits = 0;
        using var stalls = new StallRecord();
        registry.Intercept = context =>
            Matches(step, context.Request, digest) && Interlocked.Increment(ref hits) <= budget
                ? InjectAsync(registry, fault, context, stalls)
                : Task.FromResult(false);
        var clock = Stopwatch.StartNew();

        CofferException? error;
        try
        {
            error = IsPull(step)
                ? await PullAsync(registry, content)
                : await PushAsync(registry, content, ShapeOf(step));
        }
        finally
        {
            // A server that stopped reading an upload may not notice the client leave; let it go.
            await stalls.ReleaseAsync();
        }

        Assert.True(hits > 0, $"{step} was never requested");
        var outcome = error is null ? "recovered" : $"failed cleanly: {error.GetType().Name}: {error.Message}";
        output.WriteLine($"{step,-18} x {fault,-20} hits {Math.Min(hits, budget)} of {budget}  " +
            $"{clock.Elapsed.TotalSeconds,4:F1} s  {outcome}");
        if (error is not null)
        {
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
        }

        if (fault is Fault.Stall or Fault.StallMidBody)
        {
            Assert.True(stalls.Count > 0, "no request was stalled");
            Assert.True(stalls.ServerGaveUp == 0 && clock.Elapsed < ServerStall,
                $"the client waited for the server to drop a stalled {step} instead of giving up after its " +
                $"{ShortTimeout.TotalSeconds:0} s deadline");
        }
    }

    /// <summary>
    /// Counts stalled requests and how many of them the server had to end itself, and ends the
    /// stalls that are still held once the case is over.
    /// </summary>
    private sealed class StallRecord : IDisposable
    {
        private readonly CancellationTokenSource _release = new();
        private int _count;
        private int _serverGaveUp;

        public int Count => Volatile.Read(ref _count);

        public int ServerGaveUp => Volatile.Read(ref _serverGaveUp);

        /// <summary>Holds a request for <see cref="ServerStall"/>, or until the client or the case ends.</summary>
        public async Task HoldAsync(HttpContext context)
        {
            Interlocked.Increment(ref _count);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _release.Token);
            try
            {
                await Task.Delay(ServerStall, either.Token);
                Interlocked.Increment(ref _serverGaveUp);
            }
            catch (OperationCanceledException)
            {
            }
        }

        public Task ReleaseAsync() => _release.CancelAsync();

        public void Dispose() => _release.Dispose();
    }

    private static PushShape ShapeOf(RequestStep step) => step switch
    {
        RequestStep.UploadPatch or RequestStep.StreamedHead or RequestStep.UploadCommit => PushShape.Chunked,
        RequestStep.BlobHead or RequestStep.UploadPost => PushShape.HeadFirst,
        _ => PushShape.Small,
    };

    private static bool IsPull(RequestStep step) => step is RequestStep.ManifestGet or RequestStep.BlobGet;

    private static bool Matches(RequestStep step, HttpRequest request, string layerDigest)
    {
        var path = request.Path.Value ?? "";
        var upload = path.Contains("/blobs/uploads/", StringComparison.Ordinal);
        var blob = !upload && path.Contains("/blobs/", StringComparison.Ordinal);
        var manifest = path.Contains("/manifests/", StringComparison.Ordinal);
        var emptyBody = request.ContentLength is null or 0;
        return step switch
        {
            RequestStep.MountProbe => HttpMethods.IsPost(request.Method) && upload
                && request.Query.ContainsKey("mount"),
            RequestStep.BlobHead => HttpMethods.IsHead(request.Method) && blob,
            RequestStep.UploadPost => HttpMethods.IsPost(request.Method) && upload
                && !request.Query.ContainsKey("mount"),
            RequestStep.BlobPut => HttpMethods.IsPut(request.Method) && upload && !emptyBody
                && request.Query["digest"] == layerDigest,
            RequestStep.ManifestPut => HttpMethods.IsPut(request.Method) && manifest,
            RequestStep.UploadPatch => HttpMethods.IsPatch(request.Method) && upload,
            RequestStep.StreamedHead => HttpMethods.IsHead(request.Method) && blob
                && path.EndsWith(layerDigest, StringComparison.Ordinal),
            RequestStep.UploadCommit => HttpMethods.IsPut(request.Method) && upload && emptyBody,
            RequestStep.ManifestGet => HttpMethods.IsGet(request.Method) && manifest,
            RequestStep.BlobGet => HttpMethods.IsGet(request.Method) && blob,
            _ => false,
        };
    }

    private static async Task<bool> InjectAsync(
        FakeRegistry registry, Fault fault, HttpContext context, StallRecord stalls)
    {
        var response = context.Response;
        switch (fault)
        {
            case Fault.Reset:
                context.Abort();
                return true;
            case Fault.Stall or Fault.StallMidBody:
                if (fault == Fault.StallMidBody && TryGetStored(registry, context.Request, out var partial, out _))
                {
                    // A body that starts and then stops.
                    response.ContentLength = partial.Length;
                    await response.StartAsync();
                    await response.Body.WriteAsync(partial.AsMemory(0, partial.Length / 2));
                    await response.Body.FlushAsync();
                }
                else if (fault == Fault.StallMidBody)
                {
                    // An upload the server stops reading after its first bytes.
                    var first = new byte[64 * 1024];
                    await context.Request.Body.ReadAtLeastAsync(first, first.Length, throwOnEndOfStream: false);
                }

                // No headers at all, or no more of the body, until the client gives up.
                await stalls.HoldAsync(context);
                context.Abort();
                return true;
            case Fault.Truncated or Fault.WrongBody:
                if (!TryGetStored(registry, context.Request, out var body, out var mediaType))
                {
                    return false;
                }

                var sent = body.ToArray();
                if (fault == Fault.WrongBody)
                {
                    sent[sent.Length / 2] ^= 0x01;
                }
                else
                {
                    // The server says it is done half way: a clean end of a chunked body.
                    sent = sent[..(sent.Length / 2)];
                }

                response.ContentType = mediaType;
                response.Headers["Docker-Content-Digest"] = FakeArtifact.Digest(body);
                await response.Body.WriteAsync(sent);
                return true;
            case Fault.Unauthorized401Once:
                response.StatusCode = 401;
                response.Headers.WWWAuthenticate = "Basic realm=\"coffer-fake\"";
                await WriteErrorAsync(context, "UNAUTHORIZED");
                return true;
            default:
                response.StatusCode = fault switch
                {
                    Fault.Status500 => 500,
                    Fault.Status503RetryAfter => 503,
                    _ => 429,
                };
                if (fault == Fault.Status503RetryAfter)
                {
                    response.Headers.RetryAfter = "1";
                }

                await WriteErrorAsync(context, fault == Fault.Status429 ? "TOOMANYREQUESTS" : "UNAVAILABLE");
                return true;
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, string code)
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($"{{\"errors\":[{{\"code\":\"{code}\",\"message\":\"injected\"}}]}}");
        }
    }

    /// <summary>The stored blob or manifest a GET asks for, so a fault can serve a damaged copy of it.</summary>
    private static bool TryGetStored(FakeRegistry registry, HttpRequest request, out byte[] content,
        out string mediaType)
    {
        content = [];
        mediaType = "application/octet-stream";
        if (!HttpMethods.IsGet(request.Method))
        {
            return false;
        }

        var path = request.Path.Value ?? "";
        foreach (var (marker, isManifest) in new[] { ("/manifests/", true), ("/blobs/", false) })
        {
            var at = path.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0 || !path.StartsWith("/v2/", StringComparison.Ordinal))
            {
                continue;
            }

            var repository = path[4..at];
            var reference = path[(at + marker.Length)..];
            if (isManifest && registry.TryGetManifest(repository, reference, out var manifest))
            {
                content = manifest.Content.ToArray();
                mediaType = manifest.MediaType;
                return true;
            }

            if (!isManifest && registry.TryGetBlob(repository, reference, out var blob))
            {
                content = blob;
                return true;
            }
        }

        return false;
    }

    /// <summary>Client options; chunked, the file is above the threshold and goes up in two chunks.</summary>
    private static RegistryClientOptions Options(int contentLength = 0, bool headFirst = false) => new()
    {
        PlainHttp = true,
        Credentials = CredentialSource.FromCommandLine(
            new Coffer.Credentials.RegistryCredential(User, Password, null)),
        Timeout = ShortTimeout,
        ChunkThreshold = contentLength > 0 ? contentLength - 1 : new RegistryClientOptions().ChunkThreshold,
        ChunkSize = contentLength > 0 ? (contentLength + 1) / 2 : new RegistryClientOptions().ChunkSize,
        MountProbeLimit = headFirst ? 0 : new RegistryClientOptions().MountProbeLimit,
    };

    /// <summary>Pushes one file; returns null on success, or the clean error.</summary>
    private static async Task<CofferException?> PushAsync(FakeRegistry registry, byte[] content, PushShape shape)
    {
        var work = Directory.CreateTempSubdirectory("coffer-matrix-push-");
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(work.FullName, "data.bin"), content);
            using var client = new RegistryClient(Reference.Parse($"{registry.Host}/matrix/push:v1"),
                Options(shape == PushShape.Chunked ? content.Length : 0, shape == PushShape.HeadFirst), write: true);
            var error = await CatchCleanAsync(() => new ArtifactPusher(client.Repository!).PushAsync(
                new PushRequest { Files = [new FileReference("data.bin", null)], WorkingDirectory = work.FullName },
                ["v1"]));

            // Whatever happened, the fake holds no blob under a digest its bytes do not have.
            var digest = FakeArtifact.Digest(content);
            if (registry.TryGetBlob("matrix/push", digest, out var stored))
            {
                Assert.Equal(digest, FakeArtifact.Digest(stored));
            }

            if (error is null)
            {
                Assert.True(registry.TryGetManifest("matrix/push", "v1", out _), "push succeeded without the tag");
                Assert.True(stored is not null && stored.SequenceEqual(content), "the pushed blob is not stored");
            }
            else
            {
                Assert.False(registry.TryGetManifest("matrix/push", "v1", out _) && stored is null,
                    "a tag points at a manifest whose layer is missing");
            }

            return error;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Pulls one file; returns null on success, or the clean error.</summary>
    private static async Task<CofferException?> PullAsync(FakeRegistry registry, byte[] content)
    {
        FakeArtifact.Add(registry, "matrix/pull", "v1", ("data.bin", content, null));
        var work = Directory.CreateTempSubdirectory("coffer-matrix-pull-");
        try
        {
            var outputDirectory = Path.Combine(work.FullName, "out");
            using var client = new RegistryClient(Reference.Parse($"{registry.Host}/matrix/pull:v1"), Options(),
                write: false);
            var error = await CatchCleanAsync(() => new ArtifactPuller(client.Repository!).PullAsync(
                new PullRequest { OutputDirectory = outputDirectory, StallTimeout = ShortTimeout }));

            var left = Directory.Exists(outputDirectory)
                ? Directory.EnumerateFileSystemEntries(outputDirectory, "*", SearchOption.AllDirectories).ToList()
                : [];
            if (error is null)
            {
                var file = Assert.Single(left);
                Assert.Equal("data.bin", Path.GetFileName(file));
                Assert.Equal(SHA256.HashData(content), SHA256.HashData(await File.ReadAllBytesAsync(file)));
            }
            else
            {
                Assert.True(left.Count == 0, "left behind: " + string.Join(", ", left));
            }

            return error;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Runs <paramref name="action"/>; a <see cref="CofferException"/> is a clean failure, anything
    /// else (or a hang) fails the test.</summary>
    private static async Task<CofferException?> CatchCleanAsync<T>(Func<Task<T>> action)
    {
        try
        {
            await action().WaitAsync(CaseLimit);
            return null;
        }
        catch (CofferException e)
        {
            return e;
        }
        catch (TimeoutException e)
        {
            throw new Xunit.Sdk.XunitException($"no answer within {CaseLimit}: {e}");
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"unhandled {e.GetType().Name}: {e}");
        }
    }
}
