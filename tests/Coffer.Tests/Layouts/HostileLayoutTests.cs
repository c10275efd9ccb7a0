using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Coffer.Tests.Cli;
using Coffer.Tests.Credentials;

namespace Coffer.Tests.Layouts;

/// <summary>
/// Layouts made by hand to mislead: an <c>index.json</c> that lies about an entry, special files
/// where files belong, content that does not match. Each must fail with a message about the
/// layout, write nothing, and never hang.
/// </summary>
public sealed class HostileLayoutTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EntryWhoseMediaTypeContradictsTheManifest_IsRefused()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "genuine"u8.ToArray());
        await runner.RunAsync("push", "--oci-layout", "layout:v1", "a.txt");
        EditIndex(runner, entry => entry["mediaType"] = "application/vnd.oci.image.index.v1+json");

        var pull = await runner.RunAsync("pull", "--oci-layout", "layout:v1", "-o", "out");
        var copy = await runner.RunAsync("cp", "--from-oci-layout", "--to-oci-layout", "layout:v1", "copy:v1");

        Assert.Equal(3, pull.ExitCode);
        Assert.Contains("application/vnd.oci.image.index.v1+json", pull.Stderr, StringComparison.Ordinal);
        Assert.Contains("application/vnd.oci.image.manifest.v1+json", pull.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Pulled", pull.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(runner.WorkingDirectory, "out", "a.txt")));
        Assert.Equal(3, copy.ExitCode);
        Assert.False(File.Exists(Path.Combine(runner.WorkingDirectory, "copy", "index.json")));
    }

    [Fact]
    public async Task TagOnAnEntryWithABadDigest_SaysSo_RatherThanThatTheTagIsMissing()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "genuine"u8.ToArray());
        await runner.RunAsync("push", "--oci-layout", "layout:v1", "a.txt");
        EditIndex(runner, entry => entry["digest"] = "sha256:not-hex");

        var pull = await runner.RunAsync("pull", "--oci-layout", "layout:v1", "-o", "out");

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("index.json lists a bad digest", pull.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("has no tag", pull.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexJson_OfSchemaVersion3_IsRefusedAsDamaged_ForReadsAndWrites()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "genuine"u8.ToArray());
        await runner.RunAsync("push", "--oci-layout", "layout:v1", "a.txt");
        var path = Path.Combine(runner.WorkingDirectory, "layout", "index.json");
        var index = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        index["schemaVersion"] = 3;
        File.WriteAllText(path, index.ToJsonString());

        var resolve = await runner.RunAsync("resolve", "--oci-layout", "layout:v1");
        var pull = await runner.RunAsync("pull", "--oci-layout", "layout:v1", "-o", "out");
        var push = await runner.RunAsync("push", "--oci-layout", "layout:v2", "a.txt");

        foreach (var result in new[] { resolve, pull, push })
        {
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("the layout's index.json is damaged: its schemaVersion is 3; it must be 2",
                result.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(index.ToJsonString(), File.ReadAllText(path));
        Assert.False(File.Exists(Path.Combine(runner.WorkingDirectory, "out", "a.txt")));
    }

    [UnixFact]
    public async Task Fifo_AsIndexJson_AsABlob_OrAsTheLayout_FailsAtOnce_AfterTheOperation()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "genuine"u8.ToArray());
        await runner.RunAsync("push", "--oci-layout", "layout:v1", "a.txt");
        CopyFolder(Path.Combine(runner.WorkingDirectory, "layout"), Path.Combine(runner.WorkingDirectory, "index"));
        CopyFolder(Path.Combine(runner.WorkingDirectory, "layout"), Path.Combine(runner.WorkingDirectory, "blob"));
        var layer = Convert.ToHexStringLower(SHA256.HashData("genuine"u8));
        var fifos = new[]
        {
            Path.Combine(runner.WorkingDirectory, "index", "index.json"),
            Path.Combine(runner.WorkingDirectory, "blob", "blobs", "sha256", layer),
            Path.Combine(runner.WorkingDirectory, "pipe"),
        };
        foreach (var fifo in fifos)
        {
            File.Delete(fifo);
            MakeFifo(fifo);
        }

        var index = await WithinPatienceAsync(fifos[0], () => runner.RunAsync("pull", "--oci-layout", "index:v1"));
        var blob = await WithinPatienceAsync(fifos[1],
            () => runner.RunAsync("pull", "--oci-layout", "blob:v1", "-o", "out"));
        var fetch = await WithinPatienceAsync(fifos[1],
            () => runner.RunAsync("blob", "fetch", "--oci-layout", $"blob@sha256:{layer}", "-o", "a.out"));
        var pipe = await WithinPatienceAsync(fifos[2], () => runner.RunAsync("pull", "--oci-layout", "pipe:v1"));

        foreach (var result in new[] { index, blob, fetch, pipe })
        {
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("FIFO", result.Stderr, StringComparison.Ordinal);
        }

        // A blob's refusal starts with the operation, as every other layout error does.
        Assert.StartsWith($"Error: pull blob:v1: the layout's blob sha256:{layer} (", blob.Stderr,
            StringComparison.Ordinal);
        Assert.StartsWith($"Error: fetch blob blob@sha256:{layer}: the layout's blob sha256:{layer} (", fetch.Stderr,
            StringComparison.Ordinal);

        Assert.False(File.Exists(Path.Combine(runner.WorkingDirectory, "out", "a.txt")));
    }

    [Fact]
    public async Task LayoutPath_ThatIsAFileOrUnderOne_IsAUsageErrorThatSaysSo()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        runner.WriteFile("notes.txt", "not a layout"u8.ToArray());

        var onFile = await runner.RunAsync("push", "--oci-layout", "notes.txt:v1", "a.txt");
        var underFile = await runner.RunAsync("push", "--oci-layout", "notes.txt/layout:v1", "a.txt");
        var newTar = await runner.RunAsync("push", "--oci-layout", "new.tar:v1", "a.txt");

        Assert.Equal(2, onFile.ExitCode);
        Assert.Contains("notes.txt is a file", onFile.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, underFile.ExitCode);
        Assert.Contains("notes.txt is a file", underFile.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, newTar.ExitCode);
        Assert.DoesNotContain("new.tar is a tar file", newTar.Stderr, StringComparison.Ordinal);
        Assert.Contains("does not write them", newTar.Stderr, StringComparison.Ordinal);
        Assert.Equal("not a layout", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "notes.txt")));
        Assert.False(File.Exists(Path.Combine(runner.WorkingDirectory, "new.tar")));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("long")]
    public async Task BlobOfTheWrongSize_TheErrorBlamesTheLayout_NotARegistry(string kind)
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "genuine"u8.ToArray());
        await runner.RunAsync("push", "--oci-layout", "layout:v1", "a.txt");
        var layer = Convert.ToHexStringLower(SHA256.HashData("genuine"u8));
        File.WriteAllText(Path.Combine(runner.WorkingDirectory, "layout", "blobs", "sha256", layer),
            kind == "short" ? "gen" : "genuine, and then some");

        var pull = await runner.RunAsync("pull", "--oci-layout", "layout:v1", "-o", "out");

        Assert.Equal(3, pull.ExitCode);
        Assert.Contains("layout", pull.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("registry", pull.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("rerun", pull.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(runner.WorkingDirectory, "out", "a.txt")));
    }

    // Rewrites the first entry of the layout's index.json.
    private static void EditIndex(CofferRunner runner, Action<JsonObject> edit)
    {
        var path = Path.Combine(runner.WorkingDirectory, "layout", "index.json");
        var index = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(index["manifests"]![0]!.AsObject());
        File.WriteAllText(path, index.ToJsonString());
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("mkfifo did not start (it is in the coreutils package)");
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    // A command blocked opening the FIFO (on its own thread: the open blocks before any await) is
    // released by opening the other end, so the test fails instead of hanging with it.
    private static async Task<CliResult> WithinPatienceAsync(string fifo, Func<Task<CliResult>> command)
    {
        var run = Task.Run(command);
        if (await Task.WhenAny(run, Task.Delay(Patience)) != run)
        {
            await using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
            }

            await run;
            Assert.Fail($"the command waited on the FIFO {fifo} for {Patience.TotalSeconds:0} s");
        }

        return await run;
    }
}
