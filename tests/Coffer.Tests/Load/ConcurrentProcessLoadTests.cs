using System.Diagnostics;
using System.Security.Cryptography;
using Coffer.Testing;
using Coffer.Tests.Cli;
using Xunit.Abstractions;

namespace Coffer.Tests.Load;

/// <summary>
/// Fifty coffer processes at once against one real registry: distinct artifacts and one blob
/// shared by many tags of a single repository, pushed together and then pulled together.
/// </summary>
public sealed class ConcurrentProcessLoadTests(ITestOutputHelper output)
{
    private const int Distinct = 25;
    private const int Shared = 25;

    [Fact]
    public async Task FiftyProcesses_PushThenPullAtOnce_EveryFileComesBackWithItsDigest()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Basic);
        var clock = Stopwatch.StartNew();
        var sharedContent = new byte[64 * 1024];
        Random.Shared.NextBytes(sharedContent);
        var jobs = new List<Job>();
        for (var i = 0; i < Distinct; i++)
        {
            var content = new byte[8 * 1024 + i];
            Random.Shared.NextBytes(content);
            jobs.Add(new Job($"load/distinct-{i}", "v1", $"file-{i}.bin", content));
        }

        for (var i = 0; i < Shared; i++)
        {
            jobs.Add(new Job("load/shared", $"tag-{i}", "shared.bin", sharedContent));
        }

        var runners = jobs.Select(_ => new CofferRunner()).ToList();
        try
        {
            string[] auth = ["--plain-http", "-u", registry.Username, "--password-stdin"];
            var pushes = await Task.WhenAll(jobs.Select((job, i) =>
            {
                runners[i].WriteFile(job.FileName, job.Content);
                return RunWithOneRetryAsync(runners[i], registry.Password,
                    ["push", .. auth, $"{registry.Host}/{job.Repository}:{job.Tag}", job.FileName]);
            }));
            var pushTime = clock.Elapsed;
            var pulls = await Task.WhenAll(jobs.Select((job, i) => RunWithOneRetryAsync(runners[i], registry.Password,
                ["pull", .. auth, $"{registry.Host}/{job.Repository}:{job.Tag}", "-o", "pulled"])));

            output.WriteLine($"push wave {pushTime.TotalSeconds:F1} s, pull wave {(clock.Elapsed - pushTime)
                .TotalSeconds:F1} s, push retries {pushes.Count(r => r.Retried)}, pull retries {pulls.Count(r =>
                r.Retried)}");
            for (var i = 0; i < jobs.Count; i++)
            {
                Assert.True(pushes[i].Result.ExitCode == 0, $"push {i}: {pushes[i].Result}");
                Assert.True(pulls[i].Result.ExitCode == 0, $"pull {i}: {pulls[i].Result}");
                var pulled = Path.Combine(runners[i].WorkingDirectory, "pulled", jobs[i].FileName);
                Assert.Equal(Sha256(jobs[i].Content), Sha256(File.ReadAllBytes(pulled)));
                Assert.Single(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(pulled)!));
            }

            // The shared blob is stored once: every tag of the shared repository names the same layer.
            var log = await registry.FlushRequestLogAsync();
            Assert.Equal(Shared, log.Count(r => r.Method == "PUT" && r.Path.Contains("/load/shared/manifests/",
                StringComparison.Ordinal) && r.Status == 201));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"took {clock.Elapsed}");
        }
        finally
        {
            foreach (var runner in runners)
            {
                runner.Dispose();
            }
        }
    }

    /// <summary>Runs one process; a run that fails cleanly because of throttling is tried once more.</summary>
    private static async Task<(CliResult Result, bool Retried)> RunWithOneRetryAsync(
        CofferRunner runner, string stdin, string[] args)
    {
        var first = await runner.RunProcessAsync(stdin, args);
        if (first.ExitCode == 0)
        {
            return (first, false);
        }

        // A clean failure is an exit code and a message, never a .NET stack trace.
        Assert.DoesNotContain("Unhandled exception", first.Stderr, StringComparison.Ordinal);
        Assert.True(first.Stderr.Contains("429", StringComparison.Ordinal)
            || first.Stderr.Contains("503", StringComparison.Ordinal)
            || first.Stderr.Contains("too many", StringComparison.OrdinalIgnoreCase), first.ToString());
        return (await runner.RunProcessAsync(stdin, args), true);
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private sealed record Job(string Repository, string Tag, string FileName, byte[] Content);
}
