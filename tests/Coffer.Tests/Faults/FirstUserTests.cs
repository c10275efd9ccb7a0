using System.Diagnostics;
using System.Text;
using Coffer.Artifacts;
using Coffer.Content;
using Coffer.Registry;
using Coffer.Testing;
using Coffer.Tests.Cli;
using Microsoft.AspNetCore.Http;

namespace Coffer.Tests.Faults;

/// <summary>What a first user tried: odd files, odd folders, closed streams, dropped uploads.</summary>
public sealed class FirstUserTests
{
    [Fact]
    public async Task Push_Fifo_IsRefusedInsteadOfWaitingForAWriter()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(runner.WorkingDirectory, "pipe")]))
        {
            await mkfifo.WaitForExitAsync();
        }

        var push = runner.RunAsync("push", "--plain-http", $"{registry.Host}/odd/fifo:v1", "pipe");
        var finished = await Task.WhenAny(push, Task.Delay(TimeSpan.FromSeconds(20)));

        Assert.Same(push, finished);
        var result = await push;
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a regular file", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_SymlinkLeavingTheWorkingDirectory_IsRefusedUnlessValidationIsOff()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        var outside = Path.Combine(runner.Root, "secret.txt");
        File.WriteAllText(outside, "not for the registry");
        File.CreateSymbolicLink(Path.Combine(runner.WorkingDirectory, "link.txt"), outside);

        var refused = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/odd/link:v1", "link.txt");
        var allowed = await runner.RunAsync("push", "--plain-http", "--disable-path-validation",
            $"{registry.Host}/odd/link:v2", "link.txt");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("symbolic link", refused.Stderr, StringComparison.Ordinal);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
    }

    [Fact]
    public async Task Push_ExportManifestIntoAMissingFolder_FailsBeforeAnythingIsPushed()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());

        var push = await runner.RunAsync("push", "--plain-http", "--export-manifest", "missing/m.json",
            $"{registry.Host}/odd/export:v1", "a.txt");

        Assert.Equal(2, push.ExitCode);
        Assert.Contains("does not exist", push.Stderr, StringComparison.Ordinal);
        Assert.Empty(registry.Requests);
    }

    [Fact]
    public async Task Push_FileChangesWhileItUploads_FailsBeforeTheManifest()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        var path = runner.WriteFile("growing.log", Encoding.UTF8.GetBytes(new string('x', 10_000)));
        var reference = Reference.Parse($"{registry.Host}/odd/growing:v1");
        using var client = new RegistryClient(reference, new RegistryClientOptions { PlainHttp = true }, write: true);
        var observer = new AppendOnStart(path);

        var error = await Assert.ThrowsAsync<Coffer.Errors.CofferException>(() =>
            new ArtifactPusher(client.Repository!, observer)
                .PushAsync(new PushRequest { Files = [new FileReference("growing.log", null)],
                    WorkingDirectory = runner.WorkingDirectory }, ["v1"]));

        Assert.Contains("changed while it was being pushed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(registry.Requests, r => r.Method == "PUT" && r.PathAndQuery.Contains("/manifests/",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pull_OneBadFileAmongGoodOnes_WritesNoneOfThem()
    {
        await using var registry = await FakeRegistry.StartAsync();
        var good = "good"u8.ToArray();
        var bad = "bad!"u8.ToArray();
        FakeArtifact.Add(registry, "odd/mixed", "v1", ("good.txt", good, null), ("bad.txt", bad, null));
        var badDigest = FakeArtifact.Digest(bad);
        registry.Intercept = async context =>
        {
            if (!context.Request.Path.Value!.EndsWith(badDigest, StringComparison.Ordinal))
            {
                return false;
            }

            await context.Response.Body.WriteAsync("BAD!"u8.ToArray());
            return true;
        };
        using var runner = new CofferRunner();

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/odd/mixed:v1", "-o", "out");

        Assert.Equal(3, pull.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(runner.WorkingDirectory, "out")));
    }

    [Fact]
    public async Task Pull_DestinationIsAFolder_IsRefusedBeforeAnyFileIsWritten()
    {
        await using var registry = await FakeRegistry.StartAsync();
        FakeArtifact.Add(
            registry,
            "odd/folder",
            "v1",
            ("first.txt", "1"u8.ToArray(), null),
            ("a.json", "2"u8.ToArray(), null));
        using var runner = new CofferRunner();
        Directory.CreateDirectory(Path.Combine(runner.WorkingDirectory, "out", "a.json"));

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/odd/folder:v1", "-o", "out");

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("is a folder", pull.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(runner.WorkingDirectory, "out", "first.txt")));
    }

    [Fact]
    public async Task Pull_OutputIsAFile_IsAUsageError()
    {
        await using var registry = await FakeRegistry.StartAsync();
        FakeArtifact.Add(registry, "odd/out", "v1", ("a.txt", "a"u8.ToArray(), null));
        using var runner = new CofferRunner();
        runner.WriteFile("out", "I am a file"u8.ToArray());

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/odd/out:v1", "-o", "out");

        Assert.Equal(2, pull.ExitCode);
        Assert.Contains("is a file", pull.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_LeftoverFromAKilledPull_IsCleanedUp()
    {
        await using var registry = await FakeRegistry.StartAsync();
        FakeArtifact.Add(registry, "odd/stale", "v1", ("a.txt", "a"u8.ToArray(), null));
        using var runner = new CofferRunner();
        var stale = runner.WriteFile("out/.a.txt.coffer-0123456789abcdef.partial", new byte[1000]);

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/odd/stale:v1", "-o", "out");

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.False(File.Exists(stale));
        Assert.Equal(["a.txt"], Directory.EnumerateFileSystemEntries(Path.Combine(runner.WorkingDirectory, "out"))
            .Select(Path.GetFileName));
    }

    [Fact]
    public async Task Push_ClosedStdinWithPasswordStdin_FailsAtOnce()
    {
        using var runner = new CofferRunner();
        var coffer = Path.Combine(AppContext.BaseDirectory, "coffer.dll");
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList =
            {
                "-c",
                $"exec dotnet '{coffer}' push --plain-http -u u --password-stdin " +
                    "127.0.0.1:9/a/b:c x <&-",
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = runner.WorkingDirectory,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("stdin is closed", await stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkedPush_ConnectionDroppedMidUpload_ResumesFromTheRegistrysRange()
    {
        await using var registry = await FakeRegistry.StartAsync();
        var patches = 0;
        registry.Intercept = context =>
        {
            // The second PATCH is a chunk, or the rest of the file once the push knows it is missing.
            if (context.Request.Method != "PATCH" || Interlocked.Increment(ref patches) != 2)
            {
                return Task.FromResult(false);
            }

            context.Abort();
            return Task.FromResult(true);
        };
        using var runner = new CofferRunner();
        var content = new byte[5 * 256 * 1024];
        Random.Shared.NextBytes(content);
        runner.WriteFile("big.bin", content);
        var options = new RegistryClientOptions { PlainHttp = true, ChunkThreshold = 1024, ChunkSize = 256 * 1024 };
        using var client = new RegistryClient(Reference.Parse($"{registry.Host}/odd/resume:v1"), options, write: true);

        await new ArtifactPusher(client.Repository!).PushAsync(
            new PushRequest
            {
                Files = [new FileReference("big.bin", null)],
                WorkingDirectory = runner.WorkingDirectory,
            },
            ["v1"]);

        Assert.True(registry.TryGetBlob("odd/resume", FakeArtifact.Digest(content), out var stored));
        Assert.Equal(content, stored);
        Assert.Contains(registry.Requests, r => r.Method == "GET" && r.PathAndQuery.Contains("/uploads/",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChunkedPush_ProxyRefusesLargerBodiesThanAChunk_TheRestGoesUpInChunks()
    {
        await using var registry = await FakeRegistry.StartAsync();
        const int chunk = 256 * 1024;
        var refused = 0;

        // A proxy in front of the registry that takes no body larger than one chunk. The first chunk
        // is slow, so the hash is done (and the rest offered in one request) before the second.
        var patches = 0;
        registry.Intercept = async context =>
        {
            if (context.Request.Method == "PATCH" && Interlocked.Increment(ref patches) == 1)
            {
                await Task.Delay(300);
            }

            if (context.Request.ContentLength is not > chunk)
            {
                return false;
            }

            Interlocked.Increment(ref refused);
            context.Response.StatusCode = 413;
            await context.Response.WriteAsync("body too large");
            return true;
        };
        using var runner = new CofferRunner();
        var content = new byte[12 * chunk];
        Random.Shared.NextBytes(content);
        runner.WriteFile("big.bin", content);
        var options = new RegistryClientOptions { PlainHttp = true, ChunkThreshold = 1024, ChunkSize = chunk };
        using var client = new RegistryClient(Reference.Parse($"{registry.Host}/odd/proxy:v1"), options, write: true);

        await new ArtifactPusher(client.Repository!).PushAsync(
            new PushRequest
            {
                Files = [new FileReference("big.bin", null)],
                WorkingDirectory = runner.WorkingDirectory,
            },
            ["v1"]);

        Assert.True(registry.TryGetBlob("odd/proxy", FakeArtifact.Digest(content), out var stored));
        Assert.Equal(content, stored);
        Assert.Equal(1, refused);
    }

    private sealed class AppendOnStart(string path) : ITransferObserver
    {
        public void Started(Descriptor descriptor, string name)
        {
            if (name == "growing.log")
            {
                File.AppendAllText(path, "one more line\n");
            }
        }

        public void Progress(Descriptor descriptor, long bytes)
        {
        }

        public void Completed(Descriptor descriptor, string name, TransferOutcome outcome)
        {
        }
    }
}
