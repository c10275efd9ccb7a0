using System.Diagnostics;
using Coffer.Artifacts;
using Coffer.Content;
using Coffer.Registry;
using Coffer.Registry.Auth;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

/// <summary>TLS, mutual TLS, chunked uploads, dropped connections and interruption.</summary>
public sealed class TransportTests
{
    [Fact]
    public async Task PushAndPull_MutualTls_PresentTheClientCertificate()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Tls,
            new RegistryServerOptions { RequireClientCertificate = true });
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "mtls"u8.ToArray());
        var certificates = registry.Certificates!;
        string[] tls = ["--ca-file", certificates.CaCertificatePath, "--cert-file", certificates.ClientCertificatePath!,
            "--key-file", certificates.ClientKeyPath!, "-u", registry.Username, "--password-stdin"];

        var push = await runner.PipeAsync(registry.Password, ["push", .. tls, $"{registry.Host}/mtls/art:v1", "a.txt"]);
        var pull = await runner.PipeAsync(
            registry.Password,
            ["pull", .. tls, $"{registry.Host}/mtls/art:v1", "-o", "out"]);
        var without = await runner.PipeAsync(
            registry.Password,
            "pull", "--ca-file", certificates.CaCertificatePath,
            "-u", registry.Username, "--password-stdin", $"{registry.Host}/mtls/art:v1", "-o", "out2");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal("mtls", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out", "a.txt")));
        Assert.Equal(1, without.ExitCode);
    }

    [Fact]
    public async Task Push_TlsRegistryWithoutItsCa_FailsAtTheHandshakeWithAHint()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Tls);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "x"u8.ToArray());

        var push = await runner.PipeAsync(registry.Password,
            "push", "-u", registry.Username, "--password-stdin", $"{registry.Host}/tls/art:v1", "a.txt");
        var insecure = await runner.PipeAsync(registry.Password,
            "push", "--insecure", "-u", registry.Username, "--password-stdin", $"{registry.Host}/tls/art:v1", "a.txt");

        Assert.Equal(1, push.ExitCode);
        Assert.Contains("--ca-file", push.Stderr, StringComparison.Ordinal);
        Assert.True(insecure.ExitCode == 0, insecure.ToString());
        Assert.Contains("not verified", insecure.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkedUpload_TokenExpiresBetweenChunks_ReauthenticatesAndTheBlobVerifies()
    {
        await using var registry = await RegistryServer.StartAsync(
            RegistryMode.Token,
            new RegistryServerOptions
            {
                TokenServer = new TokenServerOptions { TokenLifetime = TimeSpan.FromSeconds(1) },
            });
        using var runner = new CofferRunner();
        var content = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(content);
        runner.WriteFile("big.bin", content);
        var options = new RegistryClientOptions
        {
            PlainHttp = true,
            Credentials = CredentialSource.FromCommandLine(
                new Coffer.Credentials.RegistryCredential(registry.Username, registry.Password, null)),
            ChunkThreshold = 1024 * 1024,
            ChunkSize = 512 * 1024,
        };
        using var client = new RegistryClient(Reference.Parse($"{registry.Host}/chunk/art:v1"), options, write: true);

        // Slow enough that the one-second token runs out while the chunks go up.
        var slow = new SlowObserver(TimeSpan.FromMilliseconds(400));
        var result = await new ArtifactPusher(client.Repository!, slow).PushAsync(
            new PushRequest
            {
                Files = [new FileReference("big.bin", null)],
                WorkingDirectory = runner.WorkingDirectory,
            },
            ["v1"]);

        var log = await registry.FlushRequestLogAsync();
        Assert.True(log.Count(r => r.Method == "PATCH" && r.Status == 202) >= 2, "the blob was not sent in chunks");
        Assert.True(registry.TokenServer!.IssuedTokens.Count >= 2, "no new token was fetched when the first expired");
        var pull = await runner.PipeAsync(registry.Password,
            "pull", "--plain-http", "-u", registry.Username, "--password-stdin",
            $"{registry.Host}/chunk/art:v1", "-o", "out");
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "out", "big.bin")));
        Assert.Equal(
            result.Manifest.Digest,
            pull.Stdout.Split('\n').Single(l => l.StartsWith("Digest: ", StringComparison.Ordinal))[8..].Trim());
    }

    [Fact]
    public async Task Pull_ConnectionDroppedMidBlob_ResumesWithRangeAndVerifies()
    {
        await using var registry = await FakeRegistry.StartAsync();
        var content = new byte[2 * 1024 * 1024];
        Random.Shared.NextBytes(content);
        Faults.FakeArtifact.Add(registry, "drop/art", "v1", ("data.bin", content, null));
        var dropped = 0;
        registry.Intercept = async context =>
        {
            if (context.Request.Method != "GET"
                || !context.Request.Path.Value!.Contains("/blobs/", StringComparison.Ordinal)
                || Interlocked.Increment(ref dropped) > 1)
            {
                return false;
            }

            // Half the blob, then the connection dies.
            context.Response.ContentLength = content.Length;
            await context.Response.StartAsync();
            await context.Response.Body.WriteAsync(content.AsMemory(0, content.Length / 2));
            await context.Response.Body.FlushAsync();
            context.Abort();
            return true;
        };
        using var runner = new CofferRunner();

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/drop/art:v1", "-o", "out");

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "out", "data.bin")));
        var gets = registry.Requests
            .Where(r => r.Method == "GET" && r.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(2, gets.Count);
        Assert.StartsWith("bytes=", gets[1].Headers["Range"], StringComparison.Ordinal);
        Assert.NotEqual("bytes=0-", gets[1].Headers["Range"]);
    }

    [Fact]
    public async Task Pull_Interrupted_ExitsWith130AndLeavesNoFile()
    {
        await using var registry = await FakeRegistry.StartAsync();
        var content = new byte[1024 * 1024];
        Faults.FakeArtifact.Add(registry, "stall/art", "v1", ("data.bin", content, null));
        registry.Intercept = async context =>
        {
            if (context.Request.Method != "GET"
                || !context.Request.Path.Value!.Contains("/blobs/", StringComparison.Ordinal))
            {
                return false;
            }

            context.Response.ContentLength = content.Length;
            await context.Response.StartAsync();
            await context.Response.Body.WriteAsync(content.AsMemory(0, 1000));
            await context.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(90), context.RequestAborted);
            return true;
        };
        using var runner = new CofferRunner();
        var output = Path.Combine(runner.WorkingDirectory, "out");

        using var process = runner.Start("", "pull", "--plain-http", $"{registry.Host}/stall/art:v1", "-o", "out");
        var streams = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        var clock = Stopwatch.StartNew();
        while (!(Directory.Exists(output) && Directory.EnumerateFiles(output, "*.partial").Any()))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the download never started");
            await Task.Delay(10);
        }

        var pid = process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using (var kill = Process.Start("kill", ["-INT", pid]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        await streams;

        Assert.Equal(130, process.ExitCode);
        Assert.False(Directory.Exists(output), "the pull made the output folder and should take it away");
    }

    private sealed class SlowObserver(TimeSpan delay) : ITransferObserver
    {
        public void Started(Descriptor descriptor, string name)
        {
        }

        public void Progress(Descriptor descriptor, long bytes)
        {
            if (descriptor.Size > 1024 * 1024)
            {
                Thread.Sleep(delay);
            }
        }

        public void Completed(Descriptor descriptor, string name, TransferOutcome outcome)
        {
        }
    }
}
