using System.Collections.Concurrent;
using System.Diagnostics;
using Coffer.Testing;
using Coffer.Tests.Cli;
using Xunit.Abstractions;

namespace Coffer.Tests.Load;

/// <summary>
/// A distribution registry without its blob descriptor cache reads a blob's link file on every
/// lookup, and rewrites that file in place (truncate, then write) when the blob is uploaded or
/// mounted again. Pushes into one repository all find the shared empty config by a mount, so the
/// manifest checks of the others can read the file half written, and so can pulls of the same
/// artifact (distribution answers them 500, which a read retries).
/// </summary>
public sealed class UncachedRegistryTests(ITestOutputHelper output)
{
    private const int Pushes = 16;
    private const int Rounds = 3;
    private static readonly TimeSpan RaceTime = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task ConcurrentPushes_IntoOneRepository_AllSucceed()
    {
        var options = new RegistryServerOptions();

        // An empty cache type turns distribution's blob descriptor cache off.
        options.Environment["REGISTRY_STORAGE_CACHE_BLOBDESCRIPTOR"] = "";
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth, options);
        var runners = Enumerable.Range(0, Pushes).Select(_ => new CofferRunner()).ToList();
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                var results = await Task.WhenAll(runners.Select((runner, i) =>
                {
                    var state = $"{{\"job\":{i},\"round\":{round}}}";
                    runner.WriteFile("state.json", System.Text.Encoding.UTF8.GetBytes(state));
                    return runner.RunProcessAsync("", ["push", "--plain-http",
                        $"{registry.Host}/uncached/state:job-{i}", "state.json"]);
                }));

                foreach (var result in results)
                {
                    Assert.True(result.ExitCode == 0, result.ToString());
                }
            }

            var log = await registry.FlushRequestLogAsync();
            var refused = log.Count(r => r.Method == "PUT" && r.Path.Contains("/manifests/", StringComparison.Ordinal)
                && r.Status != 201);
            output.WriteLine($"{Pushes * Rounds} pushes, {refused} manifest PUTs refused and sent again");
        }
        finally
        {
            foreach (var runner in runners)
            {
                runner.Dispose();
            }
        }
    }

    [Fact]
    public async Task PullsDuringRepushesOfTheSameArtifact_AllSucceed()
    {
        var options = new RegistryServerOptions();
        options.Environment["REGISTRY_STORAGE_CACHE_BLOBDESCRIPTOR"] = "";
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth, options);
        var content = "{\"state\":\"shared\"}"u8.ToArray();
        using var seed = new CofferRunner();
        seed.WriteFile("state.json", content);
        var first = await seed.RunAsync("push", "--plain-http", $"{registry.Host}/race/state:v1", "state.json");
        Assert.True(first.ExitCode == 0, first.ToString());

        // Every re-push mounts the config and the file again, rewriting both link files, while
        // the pulls read them.
        var failures = new ConcurrentQueue<string>();
        var pushes = 0;
        var pulls = 0;
        var clock = Stopwatch.StartNew();
        var pushers = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            using var runner = new CofferRunner();
            runner.WriteFile("state.json", content);
            while (clock.Elapsed < RaceTime)
            {
                var push = await runner.RunAsync(
                    "push", "--plain-http", $"{registry.Host}/race/state:job-{i}", "state.json");
                Interlocked.Increment(ref pushes);
                if (push.ExitCode != 0)
                {
                    failures.Enqueue(push.ToString());
                }
            }
        }));
        var pullers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var runner = new CofferRunner();
            for (var n = 0; clock.Elapsed < RaceTime; n++)
            {
                var pull = await runner.RunAsync(
                    "pull", "--plain-http", $"{registry.Host}/race/state:v1", "-o", $"out-{n}");
                Interlocked.Increment(ref pulls);
                if (pull.ExitCode != 0)
                {
                    failures.Enqueue(pull.ToString());
                }
                else
                {
                    Assert.Equal(content, File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, $"out-{n}",
                        "state.json")));
                }
            }
        }));
        await Task.WhenAll(pushers.Concat(pullers));

        var log = await registry.FlushRequestLogAsync();
        output.WriteLine($"{pushes} pushes and {pulls} pulls in {RaceTime.TotalSeconds:0} s; " +
            $"{log.Count(r => r.Status == 500)} reads answered 500 and read again, " +
            $"{log.Count(r => r.Method == "PUT" && r.Status == 400)} manifest PUTs refused and sent again");
        Assert.Empty(failures);
    }
}
