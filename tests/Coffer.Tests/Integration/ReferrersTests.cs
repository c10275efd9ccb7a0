using System.Text;
using System.Text.Json;
using Coffer.Artifacts;
using Coffer.Content;
using Coffer.Registry;
using Coffer.Testing;

namespace Coffer.Tests.Integration;

/// <summary>Referrers on distribution 2.8, which has no referrers API: the tag schema, kept by the client.</summary>
public sealed class ReferrersTests
{
    [Fact]
    public async Task Attach_ManyAtOnceOnTheTagSchema_LosesNoEntry()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        var reference = Reference.Parse($"{registry.Host}/ref/art:v1");
        var options = new RegistryClientOptions { PlainHttp = true };
        var subject = await PushSubjectAsync(reference, options);

        // Separate clients, as separate processes would be.
        var attaches = Enumerable.Range(0, 6).Select(async i =>
        {
            using var client = new RegistryClient(reference, options, write: true);
            var (bytes, entry) = await ReferrerAsync(client.Repository!, subject, $"note {i}");
            await new Referrers(client.Repository!).AttachAsync(bytes, entry, subject, "attach");
            return entry.Digest;
        }).ToList();
        var digests = await Task.WhenAll(attaches);

        using var reader = new RegistryClient(reference, options, write: false);
        var listed = await new Referrers(reader.Repository!).ListAsync(subject, null);
        Assert.Equal(digests.Order(), listed.Select(d => d.Digest).Order());
        Assert.All(listed, d => Assert.Equal("application/vnd.example.note", d.ArtifactType));
        var filtered = await new Referrers(reader.Repository!).ListAsync(subject, "application/vnd.other");
        Assert.Empty(filtered);
    }

    [Fact]
    public async Task List_NoReferrers_IsEmpty()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        var reference = Reference.Parse($"{registry.Host}/ref/none:v1");
        var options = new RegistryClientOptions { PlainHttp = true };
        var subject = await PushSubjectAsync(reference, options);
        using var client = new RegistryClient(reference, options, write: false);

        var listed = await new Referrers(client.Repository!).ListAsync(subject, null);

        Assert.Empty(listed);
    }

    [Fact]
    public async Task Attach_RegistryWithTheReferrersApi_DoesNotWriteATagIndex()
    {
        await using var registry = await FakeRegistry.StartAsync();
        var reference = Reference.Parse($"{registry.Host}/ref/api:v1");
        var options = new RegistryClientOptions { PlainHttp = true };
        var subject = await PushSubjectAsync(reference, options);
        using var client = new RegistryClient(reference, options, write: true);
        var (bytes, entry) = await ReferrerAsync(client.Repository!, subject, "via api");

        await new Referrers(client.Repository!).AttachAsync(bytes, entry, subject, "attach");
        var listed = await new Referrers(client.Repository!).ListAsync(subject, null);

        Assert.Equal(entry.Digest, Assert.Single(listed).Digest);
        Assert.DoesNotContain(registry.GetTags("ref/api"), t => t.StartsWith("sha256-", StringComparison.Ordinal));
    }

    private static async Task<Digest> PushSubjectAsync(Reference reference, RegistryClientOptions options)
    {
        using var folder = new Cli.CofferRunner();
        folder.WriteFile("subject.txt", "subject"u8.ToArray());
        using var client = new RegistryClient(reference, options, write: true);
        var result = await new ArtifactPusher(client.Repository!).PushAsync(
            new PushRequest
            {
                Files = [new FileReference("subject.txt", null)],
                WorkingDirectory = folder.WorkingDirectory,
            },
            [reference.Tag!]);
        return Digest.Parse(result.Manifest.Digest);
    }

    private static async Task<(byte[] Bytes, Descriptor Entry)> ReferrerAsync(
        Repository repository, Digest subject, string note)
    {
        var layer = Encoding.UTF8.GetBytes(note);
        var layerDescriptor = new Descriptor
        {
            MediaType = "text/plain",
            Digest = Digest.Compute(layer).ToString(),
            Size = layer.Length,
        };
        await repository.PushBlobAsync(layerDescriptor, () => new MemoryStream(layer), null, "attach");
        await repository.PushBlobAsync(
            Descriptor.EmptyJson(), () => new MemoryStream("{}"u8.ToArray()), null, "attach");
        var subjectManifest = await repository.FetchManifestAsync(subject.ToString(), "attach");
        var manifest = new ImageManifest
        {
            ArtifactType = "application/vnd.example.note",
            Layers = [layerDescriptor],
            Subject = subjectManifest.ToDescriptor(),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ContentJsonContext.Default.ImageManifest);
        return (bytes, new Descriptor
        {
            MediaType = MediaTypes.ImageManifest,
            Digest = Digest.Compute(bytes).ToString(),
            Size = bytes.Length,
            ArtifactType = manifest.ArtifactType,
        });
    }
}
