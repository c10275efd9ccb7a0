using Coffer.Testing;
using Coffer.Tests.Cli;
using Xunit.Abstractions;

namespace Coffer.Tests.Load;

/// <summary>
/// A distribution registry without its blob descriptor cache reads a blob's link file on every
/// lookup, and rewrites that file in place (truncate, then write) when the blob is uploaded or
/// mounted again. Pushes into one repository all find the shared empty config by a mount, so the
/// manifest checks of the others can read the file half written.
/// </summary>
public sealed class UncachedRegistryTests(ITestOutputHelper output)
{
    private const int Pushes = 16;
    private const int Rounds = 3;

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
                    runner.WriteFile("state.json", System.Text.Encoding.UTF8.GetBytes($"{{\"job\":{i},\"round\":{round}}}"));
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
}
