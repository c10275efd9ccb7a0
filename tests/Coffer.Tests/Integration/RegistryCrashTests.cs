using System.Diagnostics;
using System.Security.Cryptography;
using Coffer.Artifacts;
using Coffer.Errors;
using Coffer.Registry;
using Coffer.Testing;
using Coffer.Tests.Cli;
using Xunit.Abstractions;

namespace Coffer.Tests.Integration;

/// <summary>The registry process dies in the middle of a transfer: coffer fails cleanly, and a rerun works.</summary>
public sealed class RegistryCrashTests(ITestOutputHelper output)
{
    private const int BigFileBytes = 256 * 1024 * 1024;
    private const int ChunkedFileBytes = 96 * 1024 * 1024;

    [Fact]
    public async Task Push_RegistryKilledMidUpload_FailsClearly_AndARerunCompletes()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        WriteBigFile(Path.Combine(runner.WorkingDirectory, "big.bin"));
        var reference = $"{registry.Host}/crash/push:v1";

        using var process = runner.Start("", "push", "--plain-http", reference, "big.bin");
        var output = ReadAllAsync(process);
        var uploads = Path.Combine(registry.StorageDirectory, "docker", "registry", "v2", "repositories", "crash",
            "push", "_uploads");
        await WaitUntilAsync(
            () => Directory.Exists(uploads)
                && Directory.EnumerateFiles(uploads, "data", SearchOption.AllDirectories)
                    .Any(f => new FileInfo(f).Length > 0),
            process);
        registry.Kill();
        var (code, stdout, stderr) = await FinishAsync(process, output);

        Assert.NotEqual(0, code);
        Assert.Contains($"push {reference}", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Pushed", stdout, StringComparison.Ordinal);

        await registry.RestartAsync();
        var rerun = await runner.RunAsync("push", "--plain-http", reference, "big.bin");
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
    }

    [Fact]
    public async Task ChunkedPush_RegistryRestartedMidUpload_CompletesOrFailsCleanly_AndThePullMatches()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        var path = Path.Combine(runner.WorkingDirectory, "big.bin");
        WriteBigFile(path, ChunkedFileBytes);
        var expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        var reference = $"{registry.Host}/crash/chunked:v1";

        // Above the threshold the file goes up in chunks while it is hashed.
        var events = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var options = new RegistryClientOptions
        {
            PlainHttp = true,
            ChunkThreshold = 8 * 1024 * 1024,
            ChunkSize = 8 * 1024 * 1024,
            Log = new Coffer.Diagnostics.DebugLog(new Coffer.Diagnostics.Redactor(), line =>
            {
                if (line.Contains("failed", StringComparison.Ordinal)
                    || line.Contains("over", StringComparison.Ordinal))
                {
                    events.Enqueue(line);
                }
            }),
        };
        var request = new PushRequest
        {
            Files = [new FileReference("big.bin", null)],
            WorkingDirectory = runner.WorkingDirectory,
        };
        using var client = new RegistryClient(Reference.Parse(reference), options, write: true);
        var push = new ArtifactPusher(client.Repository!).PushAsync(request, ["v1"]);
        var uploads = Path.Combine(registry.StorageDirectory, "docker", "registry", "v2", "repositories", "crash",
            "chunked", "_uploads");
        await WaitUntilAsync(
            () => Directory.Exists(uploads)
                && Directory.EnumerateFiles(uploads, "data", SearchOption.AllDirectories)
                    .Any(f => new FileInfo(f).Length > 0),
            push);
        registry.Kill();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await registry.RestartAsync();

        // Same storage, same secret: the push resumes or starts the upload over, or gives up cleanly.
        string outcome;
        try
        {
            await push.WaitAsync(TimeSpan.FromMinutes(2));
            outcome = "the push completed across the restart";
        }
        catch (CofferException e)
        {
            Assert.Contains($"push {reference}", e.Message, StringComparison.Ordinal);
            outcome = $"the push failed cleanly ({e.Message}); a rerun completed";
            using var again = new RegistryClient(Reference.Parse(reference), options, write: true);
            await new ArtifactPusher(again.Repository!).PushAsync(request, ["v1"]);
        }

        output.WriteLine(outcome);
        foreach (var line in events)
        {
            output.WriteLine(line);
        }

        var pull = await runner.RunAsync("pull", "--plain-http", reference, "-o", "out");
        Assert.True(pull.ExitCode == 0, pull.ToString());
        var pulled = File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "out", "big.bin"));
        Assert.Equal(expected, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(pulled)));
    }

    [Fact]
    public async Task Pull_RegistryKilledMidDownload_FailsClearly_AndLeavesNoFile()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        WriteBigFile(Path.Combine(runner.WorkingDirectory, "big.bin"));
        var reference = $"{registry.Host}/crash/pull:v1";
        var push = await runner.RunAsync("push", "--plain-http", reference, "big.bin");
        Assert.True(push.ExitCode == 0, push.ToString());
        var output = Path.Combine(runner.WorkingDirectory, "out");

        using var process = runner.Start("", "pull", "--plain-http", reference, "-o", "out");
        var streams = ReadAllAsync(process);
        await WaitUntilAsync(() => Directory.Exists(output)
            && Directory.EnumerateFiles(output, "*.partial").Any(f => new FileInfo(f).Length > 0), process);
        registry.Kill();
        var (code, _, stderr) = await FinishAsync(process, streams);

        Assert.NotEqual(0, code);
        Assert.Contains($"pull {reference}", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), "the pull made the output folder and should take it away");
    }

    private static void WriteBigFile(string path, int bytes = BigFileBytes)
    {
        // Random enough not to compress, cheap to make: one random MiB repeated with a counter.
        var block = new byte[1024 * 1024];
        Random.Shared.NextBytes(block);
        using var file = File.Create(path);
        for (var i = 0; i < bytes / block.Length; i++)
        {
            BitConverter.TryWriteBytes(block, i);
            file.Write(block);
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition, Process process) =>
        WaitUntilAsync(condition, () => process.HasExited);

    private static Task WaitUntilAsync(Func<bool> condition, Task transfer) =>
        WaitUntilAsync(condition, () => transfer.IsCompleted);

    private static async Task WaitUntilAsync(Func<bool> condition, Func<bool> finished)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(finished(), "coffer finished before the registry could be killed");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the transfer never started");
            await Task.Delay(5);
        }
    }

    private static Task<string[]> ReadAllAsync(Process process) =>
        Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());

    private static async Task<(int Code, string Stdout, string Stderr)> FinishAsync(
        Process process,
        Task<string[]> output)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var streams = await output;
        return (process.ExitCode, streams[0], streams[1]);
    }
}
