using Coffer.Testing;
using Coffer.Tests.Cli;
using Microsoft.AspNetCore.Http;

namespace Coffer.Tests.Faults;

/// <summary>A registry that serves other bytes than the digest asked for: nothing is kept or printed.</summary>
public sealed class BlobFetchFaultTests
{
    [Theory]
    [InlineData("out.bin")]
    [InlineData("-")]
    public async Task BlobFetch_AlteredContent_FailsVerificationAndKeepsNothing(string output)
    {
        await using var registry = await FakeRegistry.StartAsync();
        var digest = registry.AddBlob("alt/art", "the real bytes"u8.ToArray());
        registry.Intercept = async context =>
        {
            if (context.Request.Method != "GET"
                || !context.Request.Path.Value!.Contains("/blobs/", StringComparison.Ordinal))
            {
                return false;
            }

            context.Response.ContentLength = 14;
            await context.Response.WriteAsync("the fake bytes");
            return true;
        };
        using var runner = new CofferRunner();
        runner.WriteFile("out.bin", "old"u8.ToArray());

        var fetch = await runner.RunAsync(
            "blob", "fetch", "--plain-http", "-o", output, $"{registry.Host}/alt/art@{digest}");

        Assert.Equal(3, fetch.ExitCode);
        Assert.Contains("does not match", fetch.Stderr, StringComparison.Ordinal);
        Assert.Empty(fetch.Stdout);
        Assert.Equal("old"u8.ToArray(), File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "out.bin")));
        Assert.Equal(["out.bin"], Directory.GetFiles(runner.WorkingDirectory).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(runner.TempDirectory));
    }
}
