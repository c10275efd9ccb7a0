using System.Text;
using Coffer.Testing;
using Coffer.Tests.Cli;
using Microsoft.AspNetCore.Http;

namespace Coffer.Tests.Faults;

/// <summary>
/// Registries that lie or attack: what a real registry will not do, served by the in-process fake.
/// Each case is one of the public ORAS bug reports, generalised to its whole kind.
/// </summary>
public sealed class HostileRegistryTests
{
    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/token")]
    [InlineData("http://10.0.0.1/token")]
    [InlineData("file:///etc/passwd")]
    public async Task Push_BearerRealmOnAnotherNetworkKind_IsRefusedBeforeAnyCredentialIsSent(string realm)
    {
        await using var registry = await FakeRegistry.StartAsync();
        registry.Intercept = async context =>
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{realm}\",service=\"fake\"";
            await context.Response.WriteAsync("{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
            return true;
        };
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());

        var push = await runner.PipeAsync("hunter2-password",
            "push", "--plain-http", "-u", "me", "--password-stdin", $"{registry.Host}/evil/realm:v1", "a.txt");

        Assert.Equal(1, push.ExitCode);
        Assert.Contains("refusing the token realm", push.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-password", push.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_UploadLocationOnAnotherOrigin_IsRefusedAndTheOtherServerSeesNothing()
    {
        await using var other = await FakeRegistry.StartAsync();
        await using var registry = await FakeRegistry.StartAsync(
            new FakeRegistryOptions { Username = "me", Password = "pw-123456" });
        registry.Intercept = context =>
        {
            if (context.Request.Method != "POST")
            {
                return Task.FromResult(false);
            }

            context.Response.StatusCode = 202;
            context.Response.Headers.Location = new Uri(other.BaseUri, "/v2/steal/blobs/uploads/x").ToString();
            return Task.FromResult(true);
        };
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());

        var push = await runner.PipeAsync("pw-123456",
            "push", "--plain-http", "-u", "me", "--password-stdin", $"{registry.Host}/evil/location:v1", "a.txt");

        Assert.Equal(1, push.ExitCode);
        Assert.Contains("another origin", push.Stderr, StringComparison.Ordinal);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task Pull_BlobRedirectToAnotherOrigin_FollowsItWithoutTheCredential()
    {
        await using var cdn = await FakeRegistry.StartAsync();
        await using var registry = await FakeRegistry.StartAsync(
            new FakeRegistryOptions { Username = "me", Password = "pw-123456" });
        var content = "served by the cdn"u8.ToArray();
        FakeArtifact.Add(registry, "redir/art", "v1", ("file.txt", content, null));
        var digest = FakeArtifact.Digest(content);
        cdn.AddBlob("cdn/blobs", content);
        registry.Intercept = context =>
        {
            if (context.Request.Method != "GET"
                || !context.Request.Path.Value!.Contains("/blobs/", StringComparison.Ordinal))
            {
                return Task.FromResult(false);
            }

            context.Response.StatusCode = 307;
            context.Response.Headers.Location =
                new Uri(cdn.BaseUri, $"/v2/cdn/blobs/blobs/{digest}?sig=secret-signature").ToString();
            return Task.FromResult(true);
        };
        using var runner = new CofferRunner();

        var pull = await runner.PipeAsync("pw-123456",
            "pull", "--debug", "--plain-http", "-u", "me", "--password-stdin",
            $"{registry.Host}/redir/art:v1", "-o", "out");

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "out", "file.txt")));
        Assert.NotEmpty(cdn.Requests);
        Assert.All(cdn.Requests, r => Assert.Null(r.Authorization));
        Assert.Contains(registry.Requests, r => r.Authorization is not null);
        Assert.DoesNotContain("secret-signature", pull.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/tmp/coffer-absolute-escape.txt")]
    [InlineData("sub/../../escape.txt")]
    [InlineData("link/escape.txt")]
    public async Task Pull_TitleThatLeavesTheOutputFolder_IsRefusedAndNothingIsWritten(string title)
    {
        await using var registry = await FakeRegistry.StartAsync();
        FakeArtifact.Add(
            registry,
            "evil/title",
            "v1",
            ("good.txt", "fine"u8.ToArray(), null),
            (title, "pwned"u8.ToArray(), null));
        using var runner = new CofferRunner();
        var output = Directory.CreateDirectory(Path.Combine(runner.WorkingDirectory, "out")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(runner.Root, "outside")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(output, "link"), outside);

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/evil/title:v1", "-o", "out");

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("refusing to write layer titled", pull.Stderr, StringComparison.Ordinal);
        Assert.Contains("--allow-path-traversal", pull.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.False(File.Exists(Path.Combine(runner.WorkingDirectory, "escape.txt")));
        Assert.False(File.Exists("/tmp/coffer-absolute-escape.txt"));
        Assert.False(File.Exists(Path.Combine(output, "good.txt")), "no file is written before every title is checked");
    }

    [Theory]
    [InlineData(4611686018427387904L)]
    [InlineData(3L)]
    public async Task Pull_SizeClaimThatDoesNotMatch_FailsVerificationWithoutAllocatingOrWriting(long claimed)
    {
        await using var registry = await FakeRegistry.StartAsync();
        FakeArtifact.Add(registry, "evil/size", "v1", ("big.bin", new byte[100_000], claimed));
        using var runner = new CofferRunner();

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/evil/size:v1", "-o", "out");

        Assert.Equal(3, pull.ExitCode);
        Assert.Contains("big.bin", pull.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(runner.WorkingDirectory, "out")));
    }

    [Fact]
    public async Task Pull_BlobWithOtherContentThanItsDigest_FailsVerificationAndWritesNothing()
    {
        await using var registry = await FakeRegistry.StartAsync();
        var content = "the real content"u8.ToArray();
        FakeArtifact.Add(registry, "evil/digest", "v1", ("file.txt", content, null));
        registry.Intercept = async context =>
        {
            if (context.Request.Method != "GET"
                || !context.Request.Path.Value!.Contains("/blobs/", StringComparison.Ordinal))
            {
                return false;
            }

            await context.Response.Body.WriteAsync("the fake content"u8.ToArray());
            return true;
        };
        using var runner = new CofferRunner();
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(runner.WorkingDirectory, "out")).FullName,
            "file.txt"), "previous");

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/evil/digest:v1", "-o", "out");

        Assert.Equal(3, pull.ExitCode);
        Assert.Contains("has digest", pull.Stderr, StringComparison.Ordinal);
        var left = Directory.EnumerateFileSystemEntries(Path.Combine(runner.WorkingDirectory, "out")).ToList();
        Assert.Equal("file.txt", Path.GetFileName(Assert.Single(left)));
        Assert.Equal("previous", File.ReadAllText(left[0]));
    }

    [Fact]
    public async Task Pull_ManifestOverFourMiB_IsRefusedBeforeItIsRead()
    {
        await using var registry = await FakeRegistry.StartAsync();
        registry.Intercept = async context =>
        {
            if (!context.Request.Path.Value!.Contains("/manifests/", StringComparison.Ordinal))
            {
                return false;
            }

            context.Response.ContentType = "application/vnd.oci.image.manifest.v1+json";
            context.Response.ContentLength = (4 * 1024 * 1024) + 1;
            await context.Response.StartAsync();
            await context.Response.Body.WriteAsync(new byte[1024]);
            await context.Response.Body.FlushAsync();
            await Task.Delay(200);
            context.Abort();
            return true;
        };
        using var runner = new CofferRunner();

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/evil/manifest:v1", "-o", "out");

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("over the 4 MiB limit", pull.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_ThrottledWithRetryAfter_WaitsAndSucceeds()
    {
        await using var registry = await FakeRegistry.StartAsync();
        var throttled = 0;
        registry.Intercept = context =>
        {
            if (context.Request.Method != "POST" || Interlocked.Increment(ref throttled) > 2)
            {
                return Task.FromResult(false);
            }

            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "1";
            return Task.FromResult(true);
        };
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var push = await runner.RunAsync(
            "push", "--plain-http", "--debug", $"{registry.Host}/slow/art:v1", "a.txt");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1),
            $"Retry-After was not honoured: {throttled} POSTs in {clock.Elapsed.TotalMilliseconds:0} ms\n{push}");
    }

    [Fact]
    public async Task Push_RegistryStaysUnavailable_GivesUpWithinBoundsAndSaysSo()
    {
        await using var registry = await FakeRegistry.StartAsync();
        registry.Intercept = context =>
        {
            context.Response.StatusCode = 503;
            return Task.FromResult(true);
        };
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());

        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/down/art:v1", "a.txt");

        Assert.Equal(1, push.ExitCode);
        Assert.Contains("503", push.Stderr, StringComparison.Ordinal);
        Assert.InRange(registry.Requests.Count, 2, 12);
    }

    [Fact]
    public async Task Push_MonolithicBodyTooLarge_SwitchesToChunksAndSucceeds()
    {
        await using var registry = await FakeRegistry.StartAsync();
        registry.Intercept = context =>
        {
            if (context.Request.Method != "PUT"
                || !context.Request.Path.Value!.Contains("/uploads/", StringComparison.Ordinal)
                || context.Request.ContentLength is null or 0)
            {
                return Task.FromResult(false);
            }

            context.Response.StatusCode = 413;
            return Task.FromResult(true);
        };
        using var runner = new CofferRunner();
        var content = Encoding.UTF8.GetBytes(new string('z', 50_000));
        runner.WriteFile("a.txt", content);

        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/limit/art:v1", "a.txt");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains(registry.Requests, r => r.Method == "PATCH");
        Assert.True(registry.TryGetBlob("limit/art", FakeArtifact.Digest(content), out var stored));
        Assert.Equal(content, stored);
    }

    [Fact]
    public async Task Push_EveryBodyTooLarge_TheHintNamesNoFlagThatDoesNotExist()
    {
        await using var registry = await FakeRegistry.StartAsync();
        registry.Intercept = context =>
        {
            if (context.Request.Method is not ("PUT" or "PATCH")
                || !context.Request.Path.Value!.Contains("/uploads/", StringComparison.Ordinal)
                || context.Request.ContentLength is null or 0)
            {
                return Task.FromResult(false);
            }

            context.Response.StatusCode = 413;
            return Task.FromResult(true);
        };
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", Encoding.UTF8.GetBytes(new string('z', 50_000)));

        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/limit/art:v1", "a.txt");
        var help = await runner.RunAsync("push", "--help");

        Assert.Equal(1, push.ExitCode);
        Assert.Contains("413", push.Stderr, StringComparison.Ordinal);
        var hint = push.Stderr.Split('\n').Single(l => l.StartsWith("Hint: ", StringComparison.Ordinal));
        foreach (var flag in System.Text.RegularExpressions.Regex.Matches(hint, "--[a-z-]+").Select(m => m.Value))
        {
            Assert.Contains(flag, help.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("64 MiB", hint, StringComparison.Ordinal);
    }
}
