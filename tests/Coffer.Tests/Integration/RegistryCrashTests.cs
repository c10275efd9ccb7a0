using System.Diagnostics;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

/// <summary>The registry process dies in the middle of a transfer: coffer fails cleanly, and a rerun works.</summary>
public sealed class RegistryCrashTests
{
    private const int BigFileBytes = 256 * 1024 * 1024;

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
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    private static void WriteBigFile(string path)
    {
        // Random enough not to compress, cheap to make: one random MiB repeated with a counter.
        var block = new byte[1024 * 1024];
        Random.Shared.NextBytes(block);
        using var file = File.Create(path);
        for (var i = 0; i < BigFileBytes / block.Length; i++)
        {
            BitConverter.TryWriteBytes(block, i);
            file.Write(block);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Process process)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(process.HasExited, "coffer finished before the registry could be killed");
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
