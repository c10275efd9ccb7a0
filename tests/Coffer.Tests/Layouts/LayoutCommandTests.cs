using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Layouts;

/// <summary>Every command that takes a target, run with <c>--oci-layout</c> against a folder or a tar.</summary>
public sealed class LayoutCommandTests
{
    [Fact]
    public async Task PushResolveTagTagsPull_OnAFolder()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("state.json", "{\"build\":7}"u8.ToArray());

        var push = await runner.RunAsync("push", "--oci-layout", "layout:v1,latest", "state.json");
        var digest = Field(push, "Digest: ");
        var resolve = await runner.RunAsync("resolve", "--oci-layout", "layout:latest");
        var full = await runner.RunAsync("resolve", "--oci-layout", "-l", "layout:v1");
        var tag = await runner.RunAsync("tag", "--oci-layout", "layout:v1", "v2");
        var tags = await runner.RunAsync("repo", "tags", "--oci-layout", "layout");
        var pull = await runner.RunAsync("pull", "--oci-layout", "layout:v2", "-o", "out");
        var json = await runner.RunAsync("pull", "--oci-layout", "--format", "json", $"layout@{digest}", "-o", "out2");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains("Pushed [oci-layout] layout:v1\nTagged latest\n", push.Stdout, StringComparison.Ordinal);
        Assert.Equal(digest, resolve.Stdout.Trim());
        Assert.Equal($"layout@{digest}", full.Stdout.Trim());
        Assert.True(tag.ExitCode == 0, tag.ToString());
        Assert.Contains("Tagged v2", tag.Stdout, StringComparison.Ordinal);
        Assert.Equal("latest\nv1\nv2\n", tags.Stdout);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains($"Pulled [oci-layout] layout:v2\nDigest: {digest}", pull.Stdout, StringComparison.Ordinal);
        Assert.Equal("{\"build\":7}", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out", "state.json")));
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Equal($"layout@{digest}", document.RootElement.GetProperty("reference").GetString());
        Assert.True(File.Exists(Path.Combine(runner.WorkingDirectory, "layout", "oci-layout")));
    }

    [Fact]
    public async Task MissingTag_SaysTheTagIsNotInIndexJson_ForEveryCommandThatReadsOne()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        await runner.RunAsync("push", "--oci-layout", "layout:v1", "a.txt");

        var results = new[]
        {
            await runner.RunAsync("resolve", "--oci-layout", "layout:nope"),
            await runner.RunAsync("pull", "--oci-layout", "layout:nope", "-o", "out"),
            await runner.RunAsync("manifest", "fetch", "--oci-layout", "layout:nope"),
            await runner.RunAsync("manifest", "fetch", "--oci-layout", "--descriptor", "layout:nope"),
            await runner.RunAsync("copy", "--from-oci-layout", "--to-oci-layout", "layout:nope", "other:v1"),
            await runner.RunAsync("discover", "--oci-layout", "layout:nope"),
        };

        foreach (var result in results)
        {
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("tag 'nope' is not in the layout's index.json", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("Hint: list its tags with coffer repo tags --oci-layout layout", result.Stderr,
                StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Tar_IsPulledAndListed_ButNotWritten()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "packed"u8.ToArray());
        await runner.RunAsync("push", "--oci-layout", "layout:v1", "a.txt");
        await TarFile.CreateFromDirectoryAsync(Path.Combine(runner.WorkingDirectory, "layout"),
            Path.Combine(runner.WorkingDirectory, "layout.tar"), includeBaseDirectory: false);

        var pull = await runner.RunAsync("pull", "--oci-layout", "layout.tar:v1", "-o", "out");
        var tags = await runner.RunAsync("repo", "tags", "--oci-layout", "layout.tar");
        var fetch = await runner.RunAsync("manifest", "fetch", "--oci-layout", "--descriptor", "layout.tar:v1");
        var push = await runner.RunAsync("push", "--oci-layout", "layout.tar:v2", "a.txt");
        var tag = await runner.RunAsync("tag", "--oci-layout", "layout.tar:v1", "v2");

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains("Pulled [oci-layout] layout.tar:v1", pull.Stdout, StringComparison.Ordinal);
        Assert.Equal("packed", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out", "a.txt")));
        Assert.Equal("v1\n", tags.Stdout);
        Assert.True(fetch.ExitCode == 0, fetch.ToString());
        Assert.Equal(2, push.ExitCode);
        Assert.Contains("does not write them", push.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, tag.ExitCode);
    }

    [Fact]
    public async Task TarOfTheLayoutFolderItself_SaysHowToMakeOneThatWorks()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "packed"u8.ToArray());
        await runner.RunAsync("push", "--oci-layout", "layout:v1", "a.txt");
        await TarFile.CreateFromDirectoryAsync(Path.Combine(runner.WorkingDirectory, "layout"),
            Path.Combine(runner.WorkingDirectory, "backup.tar"), includeBaseDirectory: true);

        var pull = await runner.RunAsync("pull", "--oci-layout", "backup.tar:v1", "-o", "out");

        Assert.Equal(2, pull.ExitCode);
        Assert.Contains("holds the layout in layout/", pull.Stderr, StringComparison.Ordinal);
        Assert.Contains("tar -cf backup.tar -C layout .", pull.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GzippedTar_SaysToDecompressIt()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "packed"u8.ToArray());
        await runner.RunAsync("push", "--oci-layout", "layout:v1", "a.txt");
        var tar = Path.Combine(runner.WorkingDirectory, "layout.tar");
        await TarFile.CreateFromDirectoryAsync(Path.Combine(runner.WorkingDirectory, "layout"), tar,
            includeBaseDirectory: false);
        await using (var input = File.OpenRead(tar))
        await using (var output = File.Create(tar + ".gz"))
        await using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            await input.CopyToAsync(gzip);
        }

        var pull = await runner.RunAsync("pull", "--oci-layout", "layout.tar.gz:v1", "-o", "out");

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("gzip-compressed", pull.Stderr, StringComparison.Ordinal);
        Assert.Contains("gunzip", pull.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManifestAndBlobCommands_OnAFolder()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var content = RandomNumberGenerator.GetBytes(4096);
        runner.WriteFile("blob.bin", content);
        var blobDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        var push = await runner.RunAsync("push", "--oci-layout", "layout:v1", "a.txt");
        var digest = Field(push, "Digest: ");

        var fetch = await runner.RunAsync("manifest", "fetch", "--oci-layout", "layout:v1", "-o", "m.json");
        var descriptor = await runner.RunAsync("manifest", "fetch", "--oci-layout", "--descriptor", "layout:v1");
        var config = await runner.RunAsync("manifest", "fetch-config", "--oci-layout", $"layout@{digest}");
        var copy = await runner.RunAsync("manifest", "push", "--oci-layout", "layout:copy,again", "m.json");
        var tagsBefore = await runner.RunAsync("repo", "tags", "--oci-layout", "layout");
        var deleted = await runner.RunAsync("manifest", "delete", "--oci-layout", "-f", "layout:copy");
        var missing = await runner.RunAsync("manifest", "delete", "--oci-layout", "-f", "layout:v1");
        var gone = await runner.RunAsync("resolve", "--oci-layout", "layout:v1");
        var blobPush = await runner.RunAsync("blob", "push", "--oci-layout", "layout", "blob.bin");
        var blobAgain = await runner.RunAsync("blob", "push", "--oci-layout", "layout", "blob.bin");
        var blobFetch = await runner.RunAsync(
            "blob", "fetch", "--oci-layout", "-o", "back.bin", $"layout@{blobDigest}");
        var blobDescriptor = await runner.RunAsync(
            "blob", "fetch", "--oci-layout", "--descriptor", $"layout@{blobDigest}");
        var blobDelete = await runner.RunAsync("blob", "delete", "--oci-layout", "-f", $"layout@{blobDigest}");
        var blobMissing = await runner.RunAsync("blob", "delete", "--oci-layout", "-f", $"layout@{blobDigest}");

        Assert.True(fetch.ExitCode == 0, fetch.ToString());
        var manifest = File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "m.json"));
        Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifest)));
        using (var parsed = JsonDocument.Parse(descriptor.Stdout))
        {
            Assert.Equal(digest, parsed.RootElement.GetProperty("digest").GetString());
            Assert.Equal(manifest.Length, parsed.RootElement.GetProperty("size").GetInt64());
        }

        Assert.Equal("{}", config.Stdout);
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Contains("Pushed [oci-layout] layout:copy\nTagged again\n", copy.Stdout, StringComparison.Ordinal);
        Assert.Equal("again\ncopy\nv1\n", tagsBefore.Stdout);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal($"Deleted [oci-layout] layout@{digest}", deleted.Stdout.Trim());
        Assert.Equal("Missing layout:v1", missing.Stdout.Trim());
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("tag 'v1' is not in the layout's index.json", gone.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Pushed [oci-layout] layout@{blobDigest}", blobPush.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Exists [oci-layout] layout@{blobDigest}", blobAgain.Stdout, StringComparison.Ordinal);
        Assert.True(blobFetch.ExitCode == 0, blobFetch.ToString());
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "back.bin")));
        Assert.Contains("\"size\":4096", blobDescriptor.Stdout, StringComparison.Ordinal);
        Assert.Equal($"Deleted [oci-layout] layout@{blobDigest}", blobDelete.Stdout.Trim());
        Assert.Equal($"Missing layout@{blobDigest}", blobMissing.Stdout.Trim());
    }

    [Fact]
    public async Task AttachAndDiscover_OnAFolder()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("app.bin", "app"u8.ToArray());
        runner.WriteFile("sbom.json", "{}"u8.ToArray());
        var push = await runner.RunAsync("push", "--oci-layout", "layout:v1", "app.bin");
        var subject = Field(push, "Digest: ");

        var sbom = await runner.RunAsync("attach", "--oci-layout", "--artifact-type", "application/vnd.example.sbom",
            "layout:v1", "sbom.json");
        var sbomDigest = Field(sbom, "Digest: ");
        var note = await runner.RunAsync("attach", "--oci-layout", "--artifact-type", "application/vnd.example.note",
            "-a", "reviewed=yes", $"layout@{sbomDigest}");
        var tree = await runner.RunAsync("discover", "--oci-layout", "layout:v1");
        var json = await runner.RunAsync("discover", "--oci-layout", "--format", "json", "layout:v1");
        var tags = await runner.RunAsync("repo", "tags", "--oci-layout", "layout");

        Assert.True(sbom.ExitCode == 0, sbom.ToString());
        Assert.Contains($"Attached to [oci-layout] layout@{subject}", sbom.Stdout, StringComparison.Ordinal);
        Assert.True(note.ExitCode == 0, note.ToString());
        Assert.True(tree.ExitCode == 0, tree.ToString());
        Assert.StartsWith(
            $"layout@{subject}\n└── application/vnd.example.sbom", tree.Stdout, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Stdout);
        var level1 = Assert.Single(document.RootElement.GetProperty("referrers").EnumerateArray().ToList());
        Assert.Equal(sbomDigest, level1.GetProperty("digest").GetString());
        var level2 = Assert.Single(level1.GetProperty("referrers").EnumerateArray().ToList());
        Assert.Equal("yes", level2.GetProperty("annotations").GetProperty("reviewed").GetString());
        Assert.Equal("v1\n", tags.Stdout);
    }

    [Theory]
    [InlineData("push", "--plain-http")]
    [InlineData("push", "--insecure")]
    [InlineData("pull", "--registry-config", "c.json")]
    [InlineData("resolve", "-u", "someone")]
    [InlineData("discover", "--distribution-spec", "v1.1-referrers-tag")]
    [InlineData("tag", "--ca-file", "ca.pem")]
    [InlineData("manifest fetch", "--password-stdin")]
    [InlineData("blob fetch", "--identity-token-stdin")]
    public async Task RegistryFlags_WithALayout_AreAUsageError_BeforeStdinIsRead(string command, params string[] flag)
    {
        using var runner = new CofferRunner();
        var words = command.Split(' ');
        string[] extra = words[0] switch
        {
            "push" => ["a.txt"],
            "tag" => ["v2"],
            _ => [],
        };
        string[] args = [.. words, "--oci-layout", .. flag, "layout:v1", .. extra];

        var result = await runner.PipeAsync("a secret\n", args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--{flag[0].TrimStart('-') switch { "u" => "username", var f => f }} is for registries",
            result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(runner.WorkingDirectory, "layout")));
    }

    [Fact]
    public async Task RepoLs_WithALayout_SaysWhy()
    {
        using var runner = new CofferRunner();

        var result = await runner.RunAsync("repo", "ls", "--oci-layout", "layout");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("single repository", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("repo tags --oci-layout", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pull", "missing:v1", "does not exist")]
    [InlineData("resolve", "notes:v1", "no oci-layout file")]
    [InlineData("pull", ":v1", "names no folder")]
    [InlineData("pull", "layout:bad/tag", "names no tag or digest")]
    [InlineData("pull", "layout:bad!tag", "not a valid tag")]
    [InlineData("pull", "layout@sha256:abc", "64 lower-case hex")]
    public async Task BadLayoutArguments_AreUsageErrors(string command, string argument, string message)
    {
        using var runner = new CofferRunner();
        runner.WriteFile("notes/readme.txt", "not a layout"u8.ToArray());

        var result = await runner.RunAsync(command, "--oci-layout", argument);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlteredBlob_InALayout_FailsThePullWithExit3()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "genuine"u8.ToArray());
        await runner.RunAsync("push", "--oci-layout", "layout:v1", "a.txt");
        var layer = "sha256:" + Convert.ToHexStringLower(SHA256.HashData("genuine"u8));
        File.WriteAllText(Path.Combine(runner.WorkingDirectory, "layout", "blobs", "sha256", layer[7..]), "forged!");

        var pull = await runner.RunAsync("pull", "--oci-layout", "layout:v1", "-o", "out");
        var blob = await runner.RunAsync("blob", "fetch", "--oci-layout", "-o", "b.bin", $"layout@{layer}");

        Assert.Equal(3, pull.ExitCode);
        Assert.False(File.Exists(Path.Combine(runner.WorkingDirectory, "out", "a.txt")));
        Assert.Equal(3, blob.ExitCode);
        Assert.False(File.Exists(Path.Combine(runner.WorkingDirectory, "b.bin")));
    }

    private static string Field(CliResult result, string prefix) =>
        result.Stdout.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Trim();
}
