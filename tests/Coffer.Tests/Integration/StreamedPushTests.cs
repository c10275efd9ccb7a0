using System.Security.Cryptography;
using Coffer.Artifacts;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;
using Coffer.Registry.Auth;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

/// <summary>
/// A file above the chunk threshold is uploaded while it is hashed; the real registry must end up
/// with exactly the blobs a HEAD-first push would have given it.
/// </summary>
public sealed class StreamedPushTests
{
    private const int FileBytes = 24 * 1024 * 1024;

    [Fact]
    public async Task Push_LargeFileTheRegistryHas_IsReportedAsExisting_AndItsSessionIsDeleted()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        var content = RandomNumberGenerator.GetBytes(FileBytes);
        runner.WriteFile("big.bin", content);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        using var client = Client(registry, "streamed/exists:v1");
        await new ArtifactPusher(client.Repository!).PushAsync(Request(runner), ["v1"]);
        registry.ClearRequestLog();

        var outcomes = new OutcomeObserver();
        await new ArtifactPusher(client.Repository!, outcomes).PushAsync(Request(runner), ["v2"]);
        var log = await registry.FlushRequestLogAsync();

        Assert.Equal(TransferOutcome.Exists, outcomes.Of("big.bin"));
        Assert.Contains(log, r => r.Method == "HEAD" && r.Path.EndsWith(digest, StringComparison.Ordinal)
            && r.Status == 200);
        Assert.Contains(log, r => r.Method == "DELETE" && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal)
            && r.Status == 204);
        Assert.DoesNotContain(log, r => r.Method == "PUT"
            && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal));
        var sessions = Path.Combine(registry.StorageDirectory, "docker", "registry", "v2", "repositories", "streamed",
            "exists", "_uploads");

        // Distribution leaves an empty hash-state folder behind a deleted session; no data stays.
        Assert.True(!Directory.Exists(sessions)
            || !Directory.EnumerateFiles(sessions, "data", SearchOption.AllDirectories).Any(),
            "the data of an upload session was left in the registry");
    }

    [Fact]
    public async Task Push_LargeFileChangesWhileItUploads_FailsBeforeTheManifest()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        var path = runner.WriteFile("big.bin", RandomNumberGenerator.GetBytes(FileBytes));
        using var client = Client(registry, "streamed/changes:v1");

        // The digest is known while the chunks still go up; the file changes at that moment.
        var error = await Assert.ThrowsAsync<CofferException>(() =>
            new ArtifactPusher(client.Repository!, new RewriteOnStart(path)).PushAsync(Request(runner), ["v1"]));

        Assert.Contains("'big.bin' changed while it was being pushed", error.Message, StringComparison.Ordinal);
        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/streamed/changes:v1", "-o", "out");
        Assert.NotEqual(0, pull.ExitCode);
        Assert.Contains("MANIFEST_UNKNOWN", pull.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_LargeFile_PullGivesTheSameBytes()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Basic);
        using var runner = new CofferRunner();
        var content = RandomNumberGenerator.GetBytes(FileBytes);
        runner.WriteFile("big.bin", content);
        var options = new RegistryClientOptions
        {
            PlainHttp = true,
            ChunkThreshold = 4 * 1024 * 1024,
            ChunkSize = 4 * 1024 * 1024,
            Credentials = CredentialSource.FromCommandLine(
                new Coffer.Credentials.RegistryCredential(registry.Username, registry.Password, null)),
        };
        using var client = new RegistryClient(
            Reference.Parse($"{registry.Host}/streamed/basic:v1"), options, write: true);

        var result = await new ArtifactPusher(client.Repository!).PushAsync(Request(runner), ["v1"]);
        var pull = await runner.PipeAsync(registry.Password, "pull", "--plain-http", "-u", registry.Username,
            "--password-stdin", $"{registry.Host}/streamed/basic:v1", "-o", "out");

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "out", "big.bin")));
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(content)), result.Layers[0].Digest);
        var log = await registry.FlushRequestLogAsync();
        Assert.Contains(log, r => r.Method == "PATCH" && r.Status == 202);
        Assert.Single(log, r => r.Method == "PUT" && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal)
            && r.Path.Contains(result.Layers[0].Digest.Replace(":", "%3A", StringComparison.Ordinal),
                StringComparison.Ordinal));
    }

    private static RegistryClient Client(RegistryServer registry, string repository) => new(
        Reference.Parse($"{registry.Host}/{repository}"),
        new RegistryClientOptions { PlainHttp = true, ChunkThreshold = 4 * 1024 * 1024, ChunkSize = 4 * 1024 * 1024 },
        write: true);

    private static PushRequest Request(CofferRunner runner) => new()
    {
        Files = [new FileReference("big.bin", null)],
        WorkingDirectory = runner.WorkingDirectory,
    };

    private sealed class OutcomeObserver : ITransferObserver
    {
        private readonly Dictionary<string, TransferOutcome> _outcomes = new(StringComparer.Ordinal);

        public TransferOutcome? Of(string name)
        {
            lock (_outcomes)
            {
                return _outcomes.TryGetValue(name, out var outcome) ? outcome : null;
            }
        }

        public void Started(Descriptor descriptor, string name)
        {
        }

        public void Progress(Descriptor descriptor, long bytes)
        {
        }

        public void Completed(Descriptor descriptor, string name, TransferOutcome outcome)
        {
            lock (_outcomes)
            {
                _outcomes[name] = outcome;
            }
        }
    }

    /// <summary>Overwrites the middle of the file, keeping its size, when its upload is announced.</summary>
    private sealed class RewriteOnStart(string path) : ITransferObserver
    {
        public void Started(Descriptor descriptor, string name)
        {
            if (name != "big.bin")
            {
                return;
            }

            using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            file.Position = file.Length / 2;
            file.Write(RandomNumberGenerator.GetBytes(1024 * 1024));
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        }

        public void Progress(Descriptor descriptor, long bytes)
        {
        }

        public void Completed(Descriptor descriptor, string name, TransferOutcome outcome)
        {
        }
    }
}
