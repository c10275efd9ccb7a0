using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Coffer.Testing;
using Coffer.Tests.Cli;
using Coffer.Tests.Credentials;

namespace Coffer.Tests.Integration;

/// <summary>Folders as push and pull arguments, against the real registry (ORAS features 3.3, bugs 23–24).</summary>
public sealed class DirectoryTests
{
    [Fact]
    public async Task PushThenPull_NestedTree_ComesBackWithEmptyFoldersAndLinks()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        var tree = WriteTree(runner);
        var reference = $"{registry.Host}/dirs/site:v1";

        var push = await runner.RunAsync("push", "--plain-http", reference, "site");
        var pull = await runner.RunAsync("pull", "--plain-http", reference, "-o", "out");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(pull.ExitCode == 0, pull.ToString());
        var top = Path.Combine(runner.WorkingDirectory, "out", "site");
        foreach (var (name, content) in tree)
        {
            Assert.Equal(content, File.ReadAllBytes(Path.Combine(top, name)));
        }

        Assert.True(Directory.Exists(Path.Combine(top, "empty")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(top, "empty")));
        Assert.Equal("deep/x", new FileInfo(Path.Combine(top, "latest")).LinkTarget);
        Assert.Equal(tree["deep/x/y/z.txt"], File.ReadAllBytes(Path.Combine(top, "latest", "y", "z.txt")));
        Assert.Equal(["site"], Directory.GetFileSystemEntries(Path.Combine(runner.WorkingDirectory, "out"))
            .Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(runner.TempDirectory, "coffer-*.tar.gz"));

        var json = await runner.RunAsync("pull", "--plain-http", reference, "-o", "json", "--format", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var file = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("files").EnumerateArray().Single();
        Assert.Equal(Path.Combine(runner.WorkingDirectory, "json", "site") + Path.DirectorySeparatorChar,
            file.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Pull_IntoExistingFolder_ReplacesFilesUnlessKeepOldFiles()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        WriteTree(runner);
        var reference = $"{registry.Host}/dirs/again:v1";
        Assert.Equal(0, (await runner.RunAsync("push", "--plain-http", reference, "site")).ExitCode);
        runner.WriteFile("out/site/index.html", "local edit"u8.ToArray());
        runner.WriteFile("out/site/local.txt", "mine"u8.ToArray());

        var kept = await runner.RunAsync("pull", "--plain-http", reference, "-o", "out", "-k");
        Assert.Equal("local edit", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out/site/index.html")));
        var replaced = await runner.RunAsync("pull", "--plain-http", reference, "-o", "out");

        Assert.True(kept.ExitCode == 1, kept.ToString());
        Assert.Contains("--keep-old-files", kept.Stderr, StringComparison.Ordinal);
        Assert.True(replaced.ExitCode == 0, replaced.ToString());
        Assert.Equal("<h1>hi</h1>", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out/site/index.html")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out/site/local.txt")));
        Assert.Equal("deep/x", new FileInfo(Path.Combine(runner.WorkingDirectory, "out/site/latest")).LinkTarget);
    }

    [UnixFact]
    public async Task Pull_PreservePermissions_RestoresModesWithoutSetuid()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        var script = runner.WriteFile("tool/run.sh", "#!/bin/sh\n"u8.ToArray());
        var secret = runner.WriteFile("tool/secret", "s"u8.ToArray());
        const UnixFileMode Rwx = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode Rx = UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead
            | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(script, Rwx | Rx | UnixFileMode.SetUser);
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(Path.Combine(runner.WorkingDirectory, "tool"), Rwx);
        var reference = $"{registry.Host}/dirs/tool:v1";
        Assert.Equal(0, (await runner.RunAsync("push", "--plain-http", reference, "tool")).ExitCode);

        var kept = await runner.RunAsync("pull", "--plain-http", reference, "-o", "kept", "--preserve-permissions");
        var plain = await runner.RunAsync("pull", "--plain-http", reference, "-o", "plain");

        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Equal(Rwx | Rx, File.GetUnixFileMode(Path.Combine(runner.WorkingDirectory, "kept/tool/run.sh")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(Path.Combine(runner.WorkingDirectory, "kept/tool/secret")));
        Assert.Equal(Rwx, File.GetUnixFileMode(Path.Combine(runner.WorkingDirectory, "kept/tool")));
        var plainMode = File.GetUnixFileMode(Path.Combine(runner.WorkingDirectory, "plain/tool/run.sh"));
        Assert.Equal((UnixFileMode)0, plainMode & (UnixFileMode.UserExecute | UnixFileMode.SetUser));
    }

    [Theory]
    [InlineData("SOURCE_DATE_EPOCH")]
    [InlineData("--reproducible")]
    public async Task Push_SameTreeTwice_GivesTheSameLayerAndManifestDigests(string how)
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        WriteTree(runner);
        string[] extra = how == "--reproducible" ? ["--reproducible"] : [];
        if (how == "SOURCE_DATE_EPOCH")
        {
            runner.Environment["SOURCE_DATE_EPOCH"] = "1700000000";
        }

        var first = await runner.RunAsync(
            ["push", "--plain-http", $"{registry.Host}/dirs/repro:one", "site", .. extra]);
        File.SetLastWriteTimeUtc(Path.Combine(runner.WorkingDirectory, "site/index.html"), DateTime.UtcNow.AddDays(-3));
        await Task.Delay(1100);
        var second = await runner.RunAsync(
            ["push", "--plain-http", $"{registry.Host}/dirs/repro:two", "site", .. extra]);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(DigestLine(first), DigestLine(second));
        var one = Layer(await PushPullTests.FetchManifestAsync(registry, "dirs/repro", "one"));
        var two = Layer(await PushPullTests.FetchManifestAsync(registry, "dirs/repro", "two"));
        Assert.Equal(one.GetProperty("digest").GetString(), two.GetProperty("digest").GetString());
        var expected = how == "SOURCE_DATE_EPOCH"
            ? DateTimeOffset.FromUnixTimeSeconds(1700000000)
            : DateTimeOffset.UnixEpoch;
        foreach (var entry in Entries(await FetchBlobAsync(registry, "dirs/repro", one)))
        {
            Assert.Equal(expected, entry.ModificationTime);
        }
    }

    [Fact]
    public async Task Push_Folder_LayerHasTheOrasShape()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        WriteTree(runner);

        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/dirs/shape:v1", "./site/");

        Assert.True(push.ExitCode == 0, push.ToString());
        var layer = Layer(await PushPullTests.FetchManifestAsync(registry, "dirs/shape", "v1"));
        Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip", layer.GetProperty("mediaType").GetString());
        var annotations = layer.GetProperty("annotations");
        Assert.Equal("site", annotations.GetProperty("org.opencontainers.image.title").GetString());
        Assert.Equal("true", annotations.GetProperty("io.deis.oras.content.unpack").GetString());
        var blob = await FetchBlobAsync(registry, "dirs/shape", layer);
        Assert.Equal(layer.GetProperty("digest").GetString(),
            "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob)));
        Assert.Equal(annotations.GetProperty("io.deis.oras.content.digest").GetString(),
            "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Gunzip(blob))));
        var entries = Entries(blob);
        var names = entries.Select(e => e.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal("site/", names[0]);
        Assert.All(entries, e =>
        {
            Assert.StartsWith("site/", e.Name, StringComparison.Ordinal);
            Assert.Equal(0, e.Uid);
            Assert.Equal(0, e.Gid);
            Assert.Equal("", ((PosixTarEntry)e).UserName);
            Assert.Equal("", ((PosixTarEntry)e).GroupName);
        });
        Assert.Equal(TarEntryType.SymbolicLink, entries.Single(e => e.Name == "site/latest").EntryType);
        Assert.Equal(TarEntryType.Directory, entries.Single(e => e.Name == "site/empty/").EntryType);
    }

    [Fact]
    public async Task Push_FolderWithLinkOutside_IsRefusedBeforeAnyUpload()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("leaky/a.txt", "a"u8.ToArray());
        File.CreateSymbolicLink(Path.Combine(runner.WorkingDirectory, "leaky", "passwd"), "/etc/passwd");

        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/dirs/leaky:v1", "leaky");

        Assert.Equal(2, push.ExitCode);
        Assert.Contains("pullers would refuse it", push.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(runner.TempDirectory, "coffer-*.tar.gz"));
    }

    private static Dictionary<string, byte[]> WriteTree(CofferRunner runner)
    {
        var tree = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["index.html"] = "<h1>hi</h1>"u8.ToArray(),
            [".hidden"] = "dot"u8.ToArray(),
            ["css/a.css"] = "body{}"u8.ToArray(),
            ["deep/x/y/z.txt"] = RandomNumberGenerator.GetBytes(40_000),
        };
        foreach (var (name, content) in tree)
        {
            runner.WriteFile(Path.Combine("site", name), content);
        }

        Directory.CreateDirectory(Path.Combine(runner.WorkingDirectory, "site", "empty"));
        File.CreateSymbolicLink(Path.Combine(runner.WorkingDirectory, "site", "latest"), "deep/x");
        return tree;
    }

    private static JsonElement Layer(byte[] manifest) =>
        JsonDocument.Parse(manifest).RootElement.GetProperty("layers").EnumerateArray().Single();

    private static async Task<byte[]> FetchBlobAsync(RegistryServer registry, string repository, JsonElement layer)
    {
        using var http = new HttpClient(registry.CreateHttpHandler());
        return await http.GetByteArrayAsync(
            new Uri(registry.BaseUri, $"/v2/{repository}/blobs/{layer.GetProperty("digest").GetString()}"));
    }

    private static byte[] Gunzip(byte[] blob)
    {
        using var gzip = new GZipStream(new MemoryStream(blob), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    private static List<TarEntry> Entries(byte[] blob)
    {
        using var reader = new TarReader(new MemoryStream(Gunzip(blob)));
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries.Add(entry);
        }

        return entries;
    }

    private static string DigestLine(CliResult result) =>
        result.Stdout.Split('\n').Single(l => l.StartsWith("Digest: ", StringComparison.Ordinal));
}
