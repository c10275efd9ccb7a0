using System.Text;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Faults;

/// <summary>
/// Another writer moves the tag while <c>manifest index update</c> is at work. The registry has no
/// conditional write, so the fake moves the tag at a chosen moment; a real registry cannot be made
/// to race on cue.
/// </summary>
public sealed class IndexUpdateRaceTests
{
    private const string Repository = "multi/app";
    private const string IndexType = "application/vnd.oci.image.index.v1+json";
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";

    [Fact]
    public async Task TagMovedWhileTheUpdateRuns_NothingIsPushed_AndTheOtherWritersIndexStays()
    {
        await using var registry = await FakeRegistry.StartAsync();
        var amd64 = AddImage(registry, "linux-amd64", "amd64");
        AddImage(registry, "linux-arm64", "arm64");
        var s390x = AddImage(registry, "linux-s390x", "s390x");
        registry.AddManifest(Repository, Index(amd64), IndexType, "v1");
        var theirs = Index(amd64, s390x);
        var theirsDigest = FakeArtifact.Digest(theirs);
        var moved = 0;
        registry.Intercept = context =>
        {
            // The other writer pushes its index while this update fetches the manifest it adds.
            if (context.Request.Path.Value!.EndsWith("/manifests/linux-arm64", StringComparison.Ordinal)
                && Interlocked.Exchange(ref moved, 1) == 0)
            {
                registry.AddManifest(Repository, theirs, IndexType, "v1");
            }

            return Task.FromResult(false);
        };
        using var runner = new CofferRunner();

        var update = await runner.RunAsync("manifest", "index", "update", "--plain-http",
            $"{registry.Host}/{Repository}:v1", "--add", "linux-arm64");

        Assert.Equal(1, update.ExitCode);
        Assert.Contains("moved", update.Stderr, StringComparison.Ordinal);
        Assert.Contains(theirsDigest, update.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Pushed", update.Stdout, StringComparison.Ordinal);
        Assert.True(registry.TryGetManifest(Repository, "v1", out var current));
        Assert.Equal(theirsDigest, current.Digest);
    }

    // An image manifest whose config states linux/<architecture>, tagged; returns its descriptor JSON.
    private static string AddImage(FakeRegistry registry, string tag, string architecture)
    {
        var config = Encoding.UTF8.GetBytes(
            $"{{\"architecture\":\"{architecture}\",\"os\":\"linux\",\"rootfs\":{{\"type\":\"layers\"," +
            "\"diff_ids\":[]}}");
        var layer = Encoding.UTF8.GetBytes(architecture);
        registry.AddBlob(Repository, config);
        registry.AddBlob(Repository, layer);
        var manifest = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{ManifestType}\"," +
            "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\"," +
            $"\"digest\":\"{FakeArtifact.Digest(config)}\",\"size\":{config.Length}}}," +
            "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\"," +
            $"\"digest\":\"{FakeArtifact.Digest(layer)}\",\"size\":{layer.Length}}}]}}");
        registry.AddManifest(Repository, manifest, ManifestType, tag);
        return $"{{\"mediaType\":\"{ManifestType}\",\"digest\":\"{FakeArtifact.Digest(manifest)}\"," +
            $"\"size\":{manifest.Length},\"platform\":{{\"architecture\":\"{architecture}\",\"os\":\"linux\"}}}}";
    }

    private static byte[] Index(params string[] entries) => Encoding.UTF8.GetBytes(
        $"{{\"schemaVersion\":2,\"mediaType\":\"{IndexType}\",\"manifests\":[{string.Join(',', entries)}]}}");
}
