using System.Text;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Faults;

/// <summary>A registry whose referrers API lists A under B and B under A: discover ends, once each.</summary>
public sealed class ReferrerCycleTests
{
    [Fact]
    public async Task Discover_CyclicReferrers_EndsAndListsEachOnce()
    {
        await using var registry = await FakeRegistry.StartAsync();
        FakeArtifact.Add(registry, "cycle/art", "v1", ("a.txt", "a"u8.ToArray(), null));
        Assert.True(registry.TryGetManifest("cycle/art", "v1", out var subject));
        var subjectDigest = FakeArtifact.Digest(subject.Content.ToArray());
        var a = "sha256:" + new string('a', 64);
        var b = "sha256:" + new string('b', 64);
        string Index(params string[] digests) =>
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[" +
            string.Join(',', digests.Select(d => "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
                $"\"digest\":\"{d}\",\"size\":10,\"artifactType\":\"application/vnd.example\"}}")) + "]}";
        var answers = new Dictionary<string, string>
        {
            [subjectDigest] = Index(a),
            [a] = Index(b),
            [b] = Index(a, subjectDigest),
        };
        var calls = 0;
        registry.Intercept = async context =>
        {
            var path = context.Request.Path.Value!;
            var marker = "/referrers/";
            var at = path.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            Interlocked.Increment(ref calls);
            context.Response.ContentType = "application/vnd.oci.image.index.v1+json";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(answers[path[(at + marker.Length)..]]));
            return true;
        };
        using var runner = new CofferRunner();

        var discover = runner.RunAsync("discover", "--plain-http", "--depth", "20", $"{registry.Host}/cycle/art:v1");
        var finished = await Task.WhenAny(discover, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(discover, finished);
        var result = await discover;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, result.Stdout.Split(a).Length - 1);
        Assert.Equal(1, result.Stdout.Split(b).Length - 1);
        Assert.InRange(calls, 3, 4);
    }
}
