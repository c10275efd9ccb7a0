using System.Diagnostics;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Http;
using Coffer.Registry;
using Coffer.Testing;
using Microsoft.AspNetCore.Http;

namespace Coffer.Tests.Faults;

/// <summary>
/// A registry sends the headers of a manifest, a tags page or a referrers index, then a little of
/// the body, then nothing. Such a body is given the same deadline as an answer that never comes:
/// it is fetched again while the retry budget lasts, and then fails with an error that says so.
/// A token service that stalls fails the same way. The real registry cannot be made to stall, so
/// the fake does it.
/// </summary>
public sealed class BodyStallTests
{
    public enum Body
    {
        Manifest,
        TagsPage,
        ReferrersIndex,
    }

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ServerStall = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(Body.Manifest)]
    [InlineData(Body.TagsPage)]
    [InlineData(Body.ReferrersIndex)]
    public async Task Read_BodyStallsOnce_IsFetchedAgainAndSucceeds(Body body)
    {
        await using var registry = await FakeRegistry.StartAsync();
        var subject = Artifact(registry);
        using var release = new CancellationTokenSource();
        var stalled = Stall(registry, body, times: 1, release.Token);
        using var client = Client(registry);
        var clock = Stopwatch.StartNew();

        try
        {
            var read = await ReadAsync(client.Repository!, body, subject);

            Assert.True(read > 0 || body == Body.ReferrersIndex, "nothing was read");
        }
        finally
        {
            await release.CancelAsync();
        }

        Assert.Equal(1, stalled());
        Assert.True(clock.Elapsed < ServerStall, $"the read waited {clock.Elapsed} for a stalled body");
    }

    [Theory]
    [InlineData(Body.Manifest)]
    [InlineData(Body.TagsPage)]
    [InlineData(Body.ReferrersIndex)]
    public async Task Read_BodyAlwaysStalls_FailsWithinTheRetryBudgetAndSaysWhy(Body body)
    {
        await using var registry = await FakeRegistry.StartAsync();
        var subject = Artifact(registry);
        using var release = new CancellationTokenSource();
        var stalled = Stall(registry, body, times: int.MaxValue, release.Token);
        using var client = Client(registry);
        var clock = Stopwatch.StartNew();

        CofferException error;
        try
        {
            error = await Assert.ThrowsAsync<TransportException>(() => ReadAsync(client.Repository!, body, subject));
        }
        finally
        {
            await release.CancelAsync();
        }

        Assert.Contains("the body stalled: no data for 1 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("(after 2 retries)", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, stalled());
        Assert.True(clock.Elapsed < ServerStall, $"the read waited {clock.Elapsed} for a stalled body");
    }

    /// <summary>Stores a one-file artifact under stall/art:v1; returns its manifest digest.</summary>
    private static string Artifact(FakeRegistry registry)
    {
        FakeArtifact.Add(registry, "stall/art", "v1", ("a.txt", "a"u8.ToArray(), null));
        Assert.True(registry.TryGetManifest("stall/art", "v1", out var manifest));
        return FakeArtifact.Digest(manifest.Content.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TokenRequest_Stalls_FailsAfterTheDeadlineAndNamesTheTokenService(bool midBody)
    {
        await using var registry = await FakeRegistry.StartAsync();
        Artifact(registry);
        using var release = new CancellationTokenSource();
        var realm = new Uri(registry.BaseUri, "/token");
        registry.Intercept = async context =>
        {
            var path = context.Request.Path.Value ?? "";
            if (path.StartsWith("/v2/", StringComparison.Ordinal) && context.Request.Headers.Authorization.Count == 0)
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{realm}\",service=\"fake\"";
                return true;
            }

            if (path != "/token")
            {
                return false;
            }

            if (midBody)
            {
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = 4096;
                await context.Response.StartAsync();
                await context.Response.Body.WriteAsync("{\"token\":\""u8.ToArray());
                await context.Response.Body.FlushAsync();
            }

            using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, release.Token);
            try
            {
                await Task.Delay(ServerStall, either.Token);
            }
            catch (OperationCanceledException)
            {
            }

            context.Abort();
            return true;
        };
        using var client = Client(registry);
        var clock = Stopwatch.StartNew();

        CofferException error;
        try
        {
            error = await Assert.ThrowsAsync<CofferException>(() => ReadAsync(client.Repository!, Body.Manifest, ""));
        }
        finally
        {
            await release.CancelAsync();
        }

        Assert.Contains($"token request to {registry.BaseUri.GetLeftPart(UriPartial.Authority)}", error.Message,
            StringComparison.Ordinal);
        Assert.Contains(midBody ? "the body stalled" : "no answer in 1 s", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < ServerStall, $"the token request waited {clock.Elapsed}");
    }

    private static RegistryClient Client(FakeRegistry registry) => new(
        Reference.Parse($"{registry.Host}/stall/art:v1"),
        new RegistryClientOptions
        {
            PlainHttp = true,
            Timeout = Deadline,
            Retry = new RetryPolicy { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(50) },
        },
        write: false);

    /// <summary>Reads one body of the given kind; returns how many items or bytes came back.</summary>
    private static async Task<int> ReadAsync(Repository repository, Body body, string subject) => body switch
    {
        Body.Manifest => (await repository.FetchManifestAsync("v1", "fetch stall/art:v1")).Content.Length,
        Body.TagsPage => (await repository.TagsAsync(null, "tags stall/art")).Count,
        _ => (await new Referrers(repository).ListAsync(Digest.Parse(subject), null)).Count + 1,
    };

    /// <summary>
    /// Makes the first <paramref name="times"/> requests for the body send their headers and a few
    /// bytes, then hold the connection; returns how many were stalled.
    /// </summary>
    private static Func<int> Stall(FakeRegistry registry, Body body, int times, CancellationToken release)
    {
        var count = 0;
        registry.Intercept = async context =>
        {
            var path = context.Request.Path.Value ?? "";
            var matches = HttpMethods.IsGet(context.Request.Method) && body switch
            {
                Body.Manifest => path.Contains("/manifests/", StringComparison.Ordinal),
                Body.TagsPage => path.EndsWith("/tags/list", StringComparison.Ordinal),
                _ => path.Contains("/referrers/", StringComparison.Ordinal),
            };
            if (!matches || Interlocked.Increment(ref count) > times)
            {
                return false;
            }

            context.Response.ContentType = body switch
            {
                Body.Manifest => MediaTypes.ImageManifest,
                Body.TagsPage => "application/json",
                _ => MediaTypes.ImageIndex,
            };
            context.Response.ContentLength = 4096;
            await context.Response.StartAsync();
            await context.Response.Body.WriteAsync("{\"schemaVersion\":"u8.ToArray());
            await context.Response.Body.FlushAsync();
            using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, release);
            try
            {
                await Task.Delay(ServerStall, either.Token);
            }
            catch (OperationCanceledException)
            {
            }

            context.Abort();
            return true;
        };
        return () => Math.Min(Volatile.Read(ref count), times);
    }
}
