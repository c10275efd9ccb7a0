using System.Diagnostics;
using System.Text;
using Coffer.Testing;
using Coffer.Tests.Cli;
using Microsoft.AspNetCore.Http;

namespace Coffer.Tests.Faults;

/// <summary>
/// Registries that answer the mount query a push sends for each small blob (a mount from the
/// repository itself) in ways distribution does not: lies, other digests, redirects elsewhere,
/// refusals of the query alone, and manifests refused for a blob for longer than a moment.
/// </summary>
public sealed class MountProbeTests
{
    private const string EmptyConfigDigest =
        "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    [Fact]
    public async Task Push_MountAnswered201ForAnotherDigest_UploadsTheBlobAndSucceeds()
    {
        await using var registry = await FakeRegistry.StartAsync();
        var other = FakeArtifact.Digest("some other blob"u8.ToArray());
        registry.Intercept = context =>
        {
            if (!IsMount(context.Request))
            {
                return Task.FromResult(false);
            }

            context.Response.StatusCode = 201;
            context.Response.Headers["Docker-Content-Digest"] = other;
            return Task.FromResult(true);
        };
        using var runner = new CofferRunner();
        var content = "mine, not the other one"u8.ToArray();
        runner.WriteFile("a.txt", content);

        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/odd/digest:v1", "a.txt");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(registry.TryGetBlob("odd/digest", FakeArtifact.Digest(content), out var stored));
        Assert.Equal(content, stored);
        Assert.True(registry.TryGetBlob("odd/digest", EmptyConfigDigest, out _));
    }

    [Fact]
    public async Task Push_MountAnswered201ForABlobTheRegistryLacks_FailsSoonNamingTheBlob()
    {
        await using var registry = await FakeRegistry.StartAsync();
        registry.Intercept = context =>
        {
            if (!IsMount(context.Request))
            {
                return Task.FromResult(false);
            }

            context.Response.StatusCode = 201;
            return Task.FromResult(true);
        };
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "never uploaded"u8.ToArray());

        var clock = Stopwatch.StartNew();
        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/lie/mount:v1", "a.txt");

        Assert.Equal(1, push.ExitCode);
        Assert.Contains("MANIFEST_BLOB_UNKNOWN", push.Stderr, StringComparison.Ordinal);
        Assert.Contains(EmptyConfigDigest, push.Stderr, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Push_MountAnswered202WithoutALocation_FailsSayingSo()
    {
        await using var registry = await FakeRegistry.StartAsync();
        registry.Intercept = context =>
        {
            if (!IsMount(context.Request))
            {
                return Task.FromResult(false);
            }

            context.Response.StatusCode = 202;
            return Task.FromResult(true);
        };
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());

        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/odd/session:v1", "a.txt");

        Assert.Equal(1, push.ExitCode);
        Assert.Contains("answered 202 without an upload Location", push.Stderr, StringComparison.Ordinal);
        Assert.False(registry.TryGetManifest("odd/session", "v1", out _));
    }

    [Fact]
    public async Task Push_MountRedirectedToAnotherOrigin_SendsNoCredentialThereAndUploadsNothing()
    {
        await using var other = await FakeRegistry.StartAsync();
        await using var registry = await FakeRegistry.StartAsync(
            new FakeRegistryOptions { Username = "me", Password = "pw-123456" });
        registry.Intercept = context =>
        {
            if (!IsMount(context.Request))
            {
                return Task.FromResult(false);
            }

            context.Response.StatusCode = 307;
            context.Response.Headers.Location = new Uri(other.BaseUri, "/v2/steal/blobs/uploads/").ToString();
            return Task.FromResult(true);
        };
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());

        var push = await runner.PipeAsync("pw-123456",
            "push", "--plain-http", "-u", "me", "--password-stdin", $"{registry.Host}/evil/redirect:v1", "a.txt");

        Assert.Equal(1, push.ExitCode);
        Assert.Contains("another origin", push.Stderr, StringComparison.Ordinal);
        Assert.All(other.Requests, r => Assert.Null(r.Authorization));
        Assert.DoesNotContain(other.Requests, r => r.Method is "PUT" or "PATCH");
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(405)]
    public async Task Push_TokenRegistryRefusingOnlyTheMountQuery_FallsBackAndStopsAsking(int status)
    {
        await using var registry = await FakeRegistry.StartAsync();
        var realm = new Uri(registry.BaseUri, "/token");
        var tokens = 0;
        registry.Intercept = async context =>
        {
            var path = context.Request.Path.Value ?? "";
            if (path == "/token")
            {
                var n = Interlocked.Increment(ref tokens);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync($"{{\"token\":\"token-{n}\"}}");
                return true;
            }

            if (path.StartsWith("/v2/", StringComparison.Ordinal) && context.Request.Headers.Authorization.Count == 0)
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{realm}\",service=\"fake\"";
                return true;
            }

            if (!IsMount(context.Request))
            {
                return false;
            }

            // Docker Hub's answer when the token lacks the source repository's pull scope, and the
            // other refusals registries give a query they do not take.
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            if (status == 401)
            {
                context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{realm}\",service=\"fake\"," +
                    $"scope=\"repository:{context.Request.Query["from"]}:pull\",error=\"insufficient_scope\"";
            }

            var code = status switch
            {
                401 => "UNAUTHORIZED",
                403 => "DENIED",
                404 => "NAME_UNKNOWN",
                _ => "UNSUPPORTED",
            };
            await context.Response.WriteAsync($"{{\"errors\":[{{\"code\":\"{code}\",\"message\":\"no mount\"}}]}}");
            return true;
        };
        using var runner = new CofferRunner();
        string[] files = ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"];
        foreach (var file in files)
        {
            runner.WriteFile(file, Encoding.UTF8.GetBytes($"content of {file}"));
        }

        var push = await runner.RunAsync(
            ["push", "--plain-http", "--concurrency", "1", $"{registry.Host}/refuse/mount:v1", .. files]);

        Assert.True(push.ExitCode == 0, push.ToString());
        foreach (var file in files)
        {
            Assert.True(registry.TryGetBlob("refuse/mount",
                FakeArtifact.Digest(Encoding.UTF8.GetBytes($"content of {file}")), out _));
        }

        // The config's mount query goes out while the first file is hashed, so that file's may
        // have left before the refusal came back; the other four files are asked with a HEAD only.
        var mounts = registry.Requests.Count(r => r.Method == "POST" && r.PathAndQuery.Contains("mount="));
        Assert.InRange(mounts, 1, 2);
        Assert.Equal(1, tokens);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(501)]
    public async Task Push_RegistryFailingOnlyTheMountQuery_FallsBackToHeadAndSucceeds(int status)
    {
        await using var registry = await FakeRegistry.StartAsync();
        registry.Intercept = async context =>
        {
            if (!IsMount(context.Request))
            {
                return false;
            }

            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"mount failed\"}]}");
            return true;
        };
        using var runner = new CofferRunner();
        var content = "pushed the long way"u8.ToArray();
        runner.WriteFile("a.txt", content);

        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/broken/mount:v1", "a.txt");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(registry.TryGetBlob("broken/mount", FakeArtifact.Digest(content), out _));
    }

    [Fact]
    public async Task Push_ManifestRefusedForABlobFiveTimes_IsSentUntilTheRegistryFindsIt()
    {
        await using var registry = await FakeRegistry.StartAsync();
        var refusals = 0;
        registry.Intercept = async context =>
        {
            if (!HttpMethods.IsPut(context.Request.Method)
                || !(context.Request.Path.Value ?? "").Contains("/manifests/", StringComparison.Ordinal)
                || Interlocked.Increment(ref refusals) > 5)
            {
                return false;
            }

            // What distribution answers while another client rewrites a blob's link file.
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"errors\":[{\"code\":\"MANIFEST_BLOB_UNKNOWN\"," +
                $"\"message\":\"blob unknown to registry\",\"detail\":\"{EmptyConfigDigest}\"}}]}}");
            return true;
        };
        using var runner = new CofferRunner();
        runner.WriteFile("state.json", "{\"busy\":true}"u8.ToArray());

        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/busy/repo:v1", "state.json");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(registry.TryGetManifest("busy/repo", "v1", out _));
    }

    [Fact]
    public async Task ManifestPush_ABlobThatIsReallyMissing_FailsWithinTwoSecondsNamingIt()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        var manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
            "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\"," +
            $"\"digest\":\"{EmptyConfigDigest}\",\"size\":2}},\"layers\":[]}}";
        runner.WriteFile("manifest.json", Encoding.UTF8.GetBytes(manifest));

        var clock = Stopwatch.StartNew();
        var push = await runner.RunAsync(
            "manifest", "push", "--plain-http", $"{registry.Host}/missing/blob:v1", "manifest.json");

        Assert.Equal(1, push.ExitCode);
        Assert.Contains(EmptyConfigDigest, push.Stderr, StringComparison.Ordinal);
        Assert.Contains("push the blobs first", push.Stderr, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    private static bool IsMount(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Query.ContainsKey("mount");
}
