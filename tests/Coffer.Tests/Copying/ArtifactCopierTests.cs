using System.Security.Cryptography;
using System.Text;
using Coffer.Artifacts;
using Coffer.Errors;
using Coffer.Registry;
using Coffer.Targets;
using Coffer.Testing;
using Microsoft.AspNetCore.Http;

namespace Coffer.Tests.Copying;

/// <summary>The copier's streaming: chunked uploads, sources that break off, and checks on the way.</summary>
public sealed class ArtifactCopierTests
{
    private static readonly RegistryClientOptions Chunked = new()
    {
        PlainHttp = true,
        ChunkThreshold = 64 * 1024,
        ChunkSize = 64 * 1024,
    };

    [Fact]
    public async Task ChunkedUpload_OfABlobFromAnotherRegistry_ArrivesWhole()
    {
        await using var source = await FakeRegistry.StartAsync();
        await using var destination = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        var layer = RandomNumberGenerator.GetBytes(300_000);
        AddArtifact(source, "app/x", layer);
        using var from = Client(source.Host, "app/x:v1", new RegistryClientOptions { PlainHttp = true });
        using var to = Client(destination.Host, "copy/x:v1", Chunked);

        var result = await new ArtifactCopier(from.Repository!, to.Repository!)
            .CopyAsync(new CopyRequest { Reference = "v1" });
        var log = await destination.FlushRequestLogAsync();
        var back = await to.Repository!.FetchBlobAsync(
            new Coffer.Content.Descriptor { MediaType = "x/y", Digest = Digest(layer), Size = layer.Length },
            1024 * 1024, "check");

        Assert.Equal(2, result.BlobsCopied);
        Assert.True(log.Count(r => r.Method == "PATCH") >= 5);
        Assert.Equal(layer, back);
    }

    [Fact]
    public async Task ChunkedUpload_OfAWrongBlob_StopsBeforeItsLastChunk()
    {
        await using var source = await FakeRegistry.StartAsync();
        await using var destination = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        var layer = RandomNumberGenerator.GetBytes(200_000);
        AddArtifact(source, "app/x", layer);
        var forged = (byte[])layer.Clone();
        forged[^1] ^= 0x01;
        source.Intercept = async context =>
        {
            if (context.Request.Method != "GET" || !context.Request.Path.Value!.EndsWith(Digest(layer),
                StringComparison.Ordinal))
            {
                return false;
            }

            var start = Start(context);
            context.Response.StatusCode = start > 0 ? 206 : 200;
            if (start > 0)
            {
                context.Response.Headers.ContentRange = $"bytes {start}-{forged.Length - 1}/{forged.Length}";
            }

            context.Response.ContentLength = forged.Length - start;
            await context.Response.Body.WriteAsync(forged.AsMemory((int)start));
            return true;
        };
        using var from = Client(source.Host, "app/x:v1", new RegistryClientOptions { PlainHttp = true });
        using var to = Client(destination.Host, "copy/x:v1", Chunked);

        var error = await Assert.ThrowsAsync<CofferException>(() => new ArtifactCopier(from.Repository!,
            to.Repository!).CopyAsync(new CopyRequest { Reference = "v1" }));
        var log = await destination.FlushRequestLogAsync();

        Assert.Equal(ExitCodes.VerificationFailed, error.ExitCode);
        Assert.DoesNotContain(
            log, r => r.Method == "PUT" && r.Path.Contains(Digest(layer)[7..], StringComparison.Ordinal));
        Assert.DoesNotContain(log, r => r.Path.Contains("/manifests/", StringComparison.Ordinal) && r.Method == "PUT");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SourceThatBreaksOff_IsReadAgain_AndTheCopyIsWhole(bool toLayout)
    {
        await using var source = await FakeRegistry.StartAsync();
        await using var destination = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        var layer = RandomNumberGenerator.GetBytes(120_000);
        AddArtifact(source, "app/x", layer);
        var broken = 0;
        source.Intercept = async context =>
        {
            if (context.Request.Method != "GET" || !context.Request.Path.Value!.EndsWith(Digest(layer),
                StringComparison.Ordinal) || Interlocked.Increment(ref broken) > 1)
            {
                return false;
            }

            // Half the body, then the connection drops.
            context.Response.ContentLength = layer.Length;
            await context.Response.StartAsync();
            await context.Response.Body.WriteAsync(layer.AsMemory(0, layer.Length / 2));
            await context.Response.Body.FlushAsync();
            context.Abort();
            return true;
        };
        using var from = Client(source.Host, "app/x:v1", new RegistryClientOptions { PlainHttp = true });
        using var to = Client(destination.Host, "copy/x:v1", new RegistryClientOptions { PlainHttp = true });
        var temp = Directory.CreateTempSubdirectory("coffer-copy-");
        try
        {
            using var layout = OciLayout.Open(Path.Combine(temp.FullName, "l"), writable: true);
            ITarget target = toLayout ? layout : to.Repository!;

            var result = await new ArtifactCopier(from.Repository!, target).CopyAsync(new CopyRequest
            {
                Reference = "v1",
            });
            var back = await target.FetchBlobAsync(
                new Coffer.Content.Descriptor { MediaType = "x/y", Digest = Digest(layer), Size = layer.Length },
                1024 * 1024, "check");

            Assert.Equal(2, result.BlobsCopied);
            Assert.Equal(layer, back);
            Assert.True(broken >= 2);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static RegistryClient Client(string host, string repository, RegistryClientOptions options) =>
        new(Reference.Parse($"{host}/{repository}"), options, write: true);

    private static long Start(HttpContext context)
    {
        var range = context.Request.Headers.Range.ToString();
        return range.StartsWith("bytes=", StringComparison.Ordinal) ? long.Parse(range[6..].TrimEnd('-'),
            System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private static void AddArtifact(FakeRegistry registry, string repository, byte[] layer)
    {
        registry.AddBlob(repository, "{}"u8.ToArray());
        var layerDigest = registry.AddBlob(repository, layer);
        var manifest = Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
            "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\"," +
            $"\"digest\":\"{Digest("{}"u8.ToArray())}\",\"size\":2}},\"layers\":[{{\"mediaType\":" +
            $"\"application/octet-stream\",\"digest\":\"{layerDigest}\",\"size\":{layer.Length}}}]}}");
        registry.AddManifest(repository, manifest, "application/vnd.oci.image.manifest.v1+json", "v1");
    }

    private static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
