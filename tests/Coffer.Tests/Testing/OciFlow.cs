using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Coffer.Tests.Testing;

/// <summary>The smallest push and pull steps, written with plain HttpClient, for fixture self-tests.</summary>
internal static class OciFlow
{
    public const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    public const string EmptyConfigType = "application/vnd.oci.empty.v1+json";
    public static readonly byte[] EmptyConfig = "{}"u8.ToArray();

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>POST to open a session, then a monolithic PUT with ?digest=. Returns the digest.</summary>
    public static async Task<string> PushBlobAsync(HttpClient client, Uri baseUri, string repository, byte[] content)
    {
        var digest = Digest(content);

        using var post = await client.PostAsync(new Uri(baseUri, $"v2/{repository}/blobs/uploads/"), null);
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var location = new Uri(baseUri, post.Headers.Location!);

        var separator = location.Query.Length > 0 ? "&" : "?";
        var target = new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest));
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await client.PutAsync(target, body);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(digest, put.Headers.GetValues("Docker-Content-Digest").Single());

        return digest;
    }

    /// <summary>Builds an OCI artifact manifest with the empty config and one layer.</summary>
    public static byte[] Manifest(string layerDigest, int layerSize)
    {
        var manifest = new
        {
            schemaVersion = 2,
            mediaType = ManifestType,
            artifactType = "application/vnd.coffer.test.v1",
            config = new { mediaType = EmptyConfigType, digest = Digest(EmptyConfig), size = 2 },
            layers = new[]
            {
                new { mediaType = "application/vnd.coffer.file.v1", digest = layerDigest, size = layerSize },
            },
        };

        return JsonSerializer.SerializeToUtf8Bytes(manifest);
    }

    public static async Task<string> PushManifestAsync(
        HttpClient client,
        Uri baseUri,
        string repository,
        string reference,
        byte[] manifest)
    {
        using var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue(ManifestType);
        using var put = await client.PutAsync(new Uri(baseUri, $"v2/{repository}/manifests/{reference}"), body);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return put.Headers.GetValues("Docker-Content-Digest").Single();
    }

    public static async Task<byte[]> GetManifestAsync(
        HttpClient client,
        Uri baseUri,
        string repository,
        string reference)
    {
        var uri = new Uri(baseUri, $"v2/{repository}/manifests/{reference}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd(ManifestType);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    public static AuthenticationHeaderValue Basic(string username, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));

    /// <summary>Decodes the payload of a JWT without checking it.</summary>
    public static JsonElement JwtPayload(string token)
    {
        var part = token.Split('.')[1];
        var json = System.Buffers.Text.Base64Url.DecodeFromChars(part);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    public static JsonElement JwtHeader(string token)
    {
        var json = System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[0]);
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}
