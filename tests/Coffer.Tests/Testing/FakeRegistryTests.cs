using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Coffer.Testing;
using Microsoft.AspNetCore.Http;

namespace Coffer.Tests.Testing;

public sealed class FakeRegistryTests : IAsyncLifetime
{
    private const string Repository = "fake/art";
    private static readonly HttpClient Client = new();
    private FakeRegistry _registry = null!;

    private Uri BaseUri => _registry.BaseUri;

    public async Task InitializeAsync() => _registry = await FakeRegistry.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task PushAndPull_RoundTripsBlobsAndManifest()
    {
        var layer = "layer content"u8.ToArray();
        var layerDigest = await OciFlow.PushBlobAsync(Client, BaseUri, Repository, layer);
        await OciFlow.PushBlobAsync(Client, BaseUri, Repository, OciFlow.EmptyConfig);
        var manifest = OciFlow.Manifest(layerDigest, layer.Length);

        var digest = await OciFlow.PushManifestAsync(Client, BaseUri, Repository, "v1", manifest);

        Assert.Equal(OciFlow.Digest(manifest), digest);
        Assert.Equal(manifest, await OciFlow.GetManifestAsync(Client, BaseUri, Repository, "v1"));
        Assert.Equal(manifest, await OciFlow.GetManifestAsync(Client, BaseUri, Repository, digest));
        Assert.Equal(layer, await Client.GetByteArrayAsync(new Uri(BaseUri, $"v2/{Repository}/blobs/{layerDigest}")));
        Assert.True(_registry.TryGetManifest(Repository, "v1", out var stored));
        Assert.Equal(OciFlow.ManifestType, stored.MediaType);
        Assert.Equal(["v1"], _registry.GetTags(Repository));
        Assert.Equal(
            ["POST", "PUT", "POST", "PUT", "PUT", "GET", "GET", "GET"],
            _registry.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task ChunkedUpload_FollowsTheLatestLocationAndRefusesStaleState()
    {
        using var post = await Client.PostAsync(new Uri(BaseUri, $"v2/{Repository}/blobs/uploads/"), null);
        var first = new Uri(BaseUri, post.Headers.Location!);

        using var chunk1 = await PatchAsync(first, "hello "u8.ToArray(), "0-5");
        Assert.Equal(HttpStatusCode.Accepted, chunk1.StatusCode);
        Assert.Equal("0-5", chunk1.Headers.GetValues("Range").Single());
        var second = new Uri(BaseUri, chunk1.Headers.Location!);

        using var stale = await PatchAsync(first, "world"u8.ToArray(), "6-10");
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);

        using var chunk2 = await PatchAsync(second, "world"u8.ToArray(), null);
        Assert.Equal(HttpStatusCode.Accepted, chunk2.StatusCode);
        var digest = OciFlow.Digest("hello world"u8.ToArray());
        var final = new Uri(new Uri(BaseUri, chunk2.Headers.Location!) + "&digest=" + digest);

        using var put = await Client.PutAsync(final, null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.True(_registry.TryGetBlob(Repository, digest, out var content));
        Assert.Equal("hello world"u8.ToArray(), content);
        Assert.Equal(0, _registry.OpenUploadCount);
    }

    [Fact]
    public async Task Put_WrongDigest_AnswersDigestInvalid()
    {
        using var post = await Client.PostAsync(new Uri(BaseUri, $"v2/{Repository}/blobs/uploads/"), null);
        var wrong = "sha256:" + new string('0', 64);
        var target = new Uri(new Uri(BaseUri, post.Headers.Location!) + "&digest=" + wrong);
        using var body = new ByteArrayContent("data"u8.ToArray());

        using var put = await Client.PutAsync(target, body);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await ErrorCodeAsync(put));
    }

    [Fact]
    public async Task Mount_Answers201WhenTheSourceHasTheBlobElse202()
    {
        var digest = _registry.AddBlob("source/repo", "shared"u8.ToArray());
        var mount = $"v2/{Repository}/blobs/uploads/?mount={digest}&from=";

        using var mounted = await Client.PostAsync(new Uri(BaseUri, mount + "source/repo"), null);
        using var notMounted = await Client.PostAsync(new Uri(BaseUri, mount + "other/repo"), null);

        Assert.Equal(HttpStatusCode.Created, mounted.StatusCode);
        Assert.Equal(digest, mounted.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(HttpStatusCode.Accepted, notMounted.StatusCode);
        Assert.True(_registry.TryGetBlob(Repository, digest, out _));
    }

    [Fact]
    public async Task BlobGet_SupportsRangesAndHead()
    {
        var digest = _registry.AddBlob(Repository, "0123456789"u8.ToArray());
        var uri = new Uri(BaseUri, $"v2/{Repository}/blobs/{digest}");

        using var ranged = new HttpRequestMessage(HttpMethod.Get, uri);
        ranged.Headers.Range = new RangeHeaderValue(2, 4);
        using var partial = await Client.SendAsync(ranged);
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, uri));
        var unknown = new Uri(BaseUri, $"v2/{Repository}/blobs/sha256:{new string('1', 64)}");
        using var missing = await Client.GetAsync(unknown);

        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("234", await partial.Content.ReadAsStringAsync());
        Assert.Equal("bytes 2-4/10", partial.Content.Headers.ContentRange!.ToString());
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(10, head.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("BLOB_UNKNOWN", await ErrorCodeAsync(missing));
    }

    [Fact]
    public async Task Manifest_MissingBlobOrAcceptHeader_BehavesLikeDistribution()
    {
        var manifest = OciFlow.Manifest("sha256:" + new string('2', 64), 1);
        using var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue(OciFlow.ManifestType);
        using var put = await Client.PutAsync(new Uri(BaseUri, $"v2/{Repository}/manifests/v1"), body);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await ErrorCodeAsync(put));

        _registry.AddManifest(Repository, manifest, OciFlow.ManifestType, "v2");
        using var noAccept = await Client.GetAsync(new Uri(BaseUri, $"v2/{Repository}/manifests/v2"));
        Assert.Equal(HttpStatusCode.NotFound, noAccept.StatusCode);
    }

    [Fact]
    public async Task TagsList_PaginatesWithLinkHeader()
    {
        foreach (var tag in new[] { "c", "a", "b" })
        {
            _registry.AddManifest(Repository, "{}"u8.ToArray(), OciFlow.ManifestType, tag);
        }

        using var page = await Client.GetAsync(new Uri(BaseUri, $"v2/{Repository}/tags/list?n=2"));

        using var json = JsonDocument.Parse(await page.Content.ReadAsStringAsync());
        Assert.Equal(["a", "b"], json.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains("last=b", page.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Intercept_CanAnswerInsteadOfTheRegistry()
    {
        var calls = 0;
        _registry.Intercept = async context =>
        {
            if (Interlocked.Increment(ref calls) > 1)
            {
                return false;
            }

            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "1";
            await context.Response.WriteAsync("slow down");
            return true;
        };

        using var limited = await Client.GetAsync(new Uri(BaseUri, "v2/"));
        using var normal = await Client.GetAsync(new Uri(BaseUri, "v2/"));

        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, normal.StatusCode);
        Assert.Equal(2, _registry.Requests.Count);
    }

    [Fact]
    public async Task BasicAuth_IsRequiredAndRecorded()
    {
        var options = new FakeRegistryOptions { Username = "u", Password = "p" };
        await using var registry = await FakeRegistry.StartAsync(options);
        var v2 = new Uri(registry.BaseUri, "v2/");

        using var anonymous = await Client.GetAsync(v2);
        using var request = new HttpRequestMessage(HttpMethod.Get, v2);
        request.Headers.Authorization = OciFlow.Basic("u", "p");
        using var authorized = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", Assert.Single(anonymous.Headers.WwwAuthenticate).Scheme);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        Assert.Null(registry.Requests[0].Authorization);
        Assert.StartsWith("Basic ", registry.Requests[1].Authorization, StringComparison.Ordinal);
        Assert.Equal("/v2/", registry.Requests[1].PathAndQuery);
    }

    [Fact]
    public async Task Referrers_ListsManifestsWithASubject()
    {
        var subject = _registry.AddManifest(Repository, "{}"u8.ToArray(), OciFlow.ManifestType, "base");
        await OciFlow.PushBlobAsync(Client, BaseUri, Repository, OciFlow.EmptyConfig);
        var referrer = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = OciFlow.ManifestType,
            artifactType = "application/vnd.coffer.signature",
            config = new
            {
                mediaType = OciFlow.EmptyConfigType,
                digest = OciFlow.Digest(OciFlow.EmptyConfig),
                size = 2,
            },
            layers = Array.Empty<object>(),
            subject = new { mediaType = OciFlow.ManifestType, digest = subject, size = 2 },
        });
        var digest = await OciFlow.PushManifestAsync(Client, BaseUri, Repository, OciFlow.Digest(referrer), referrer);

        using var index = await Client.GetAsync(new Uri(BaseUri, $"v2/{Repository}/referrers/{subject}"));

        using var json = JsonDocument.Parse(await index.Content.ReadAsStringAsync());
        var entry = Assert.Single(json.RootElement.GetProperty("manifests").EnumerateArray());
        Assert.Equal(digest, entry.GetProperty("digest").GetString());
        Assert.Equal("application/vnd.coffer.signature", entry.GetProperty("artifactType").GetString());
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("errors")[0].GetProperty("code").GetString();
    }

    private static async Task<HttpResponseMessage> PatchAsync(Uri uri, byte[] data, string? contentRange)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, uri);
        request.Content = new ByteArrayContent(data);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (contentRange is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        }

        return await Client.SendAsync(request);
    }
}
