using System.Formats.Tar;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Faults;

/// <summary>
/// Hand-made directory layers that try to write outside their folder (ORAS bugs section 5 and
/// the GHSA list behind it), or to exhaust the disk. Each must be refused with nothing written.
/// </summary>
public sealed class DirectoryTraversalTests
{
    private static readonly byte[] Payload = "pwned"u8.ToArray();

    public static TheoryData<string> Cases => [.. Layers.Keys];

    private static Dictionary<string, (TarEntryType, string, string?, byte[]?)[]> Layers => new()
    {
        ["absolute name"] = [Dir("t/"), (TarEntryType.RegularFile, "/tmp/coffer-pwn", null, Payload)],
        ["dot-dot name"] = [Dir("t/"), (TarEntryType.RegularFile, "t/../../pwn", null, Payload)],
        ["outside the title"] = [Dir("t/"), (TarEntryType.RegularFile, "other/pwn", null, Payload)],
        ["symlink to an absolute path, then a write through it"] =
        [
            Dir("t/"), (TarEntryType.SymbolicLink, "t/link", "/tmp", null),
            (TarEntryType.RegularFile, "t/link/pwn", null, Payload),
        ],
        ["symlink climbing out"] = [Dir("t/"), (TarEntryType.SymbolicLink, "t/link", "../../..", null)],
        ["symlink climbing after descending"] =
            [Dir("t/"), Dir("t/d/"), (TarEntryType.SymbolicLink, "t/link", "d/../../..", null)],
        ["write through a link that stays inside"] =
        [
            Dir("t/"), Dir("t/d/"), (TarEntryType.SymbolicLink, "t/link", "d", null),
            (TarEntryType.RegularFile, "t/link/pwn", null, Payload),
        ],
        ["chain of links: a link to the root, then a write through it"] =
        [
            Dir("t/"), Dir("t/d/"), (TarEntryType.SymbolicLink, "t/d/up", "../..", null),
            (TarEntryType.RegularFile, "t/d/up/pwn", null, Payload),
        ],
        ["hard link to an absolute path"] = [Dir("t/"), (TarEntryType.HardLink, "t/h", "/etc/passwd", null)],
        ["hard link climbing out"] = [Dir("t/"), (TarEntryType.HardLink, "t/h", "../secret", null)],
        ["hard link to no earlier file"] = [Dir("t/"), (TarEntryType.HardLink, "t/h", "t/missing", null)],
        ["character device"] = [Dir("t/"), (TarEntryType.CharacterDevice, "t/null", null, null)],
        ["FIFO"] = [Dir("t/"), (TarEntryType.Fifo, "t/fifo", null, null)],
        ["file named like the title"] = [(TarEntryType.RegularFile, "t", null, Payload)],
        ["file then folder of the same name"] =
        [
            Dir("t/"), (TarEntryType.RegularFile, "t/x", null, Payload),
            (TarEntryType.RegularFile, "t/x/y", null, Payload),
        ],
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Pull_HostileDirectoryLayer_IsRefusedAndNothingIsWritten(string name)
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        var tar = FakeArtifact.Tar([(TarEntryType.RegularFile, "t/first.txt", null, Payload), .. Layers[name]]);
        FakeArtifact.AddDirectory(registry, "evil/dir", "v1", "t", tar);

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/evil/dir:v1", "-o", "out");

        Assert.True(pull.ExitCode == 1, pull.ToString());
        Assert.Contains("refusing", pull.Stderr, StringComparison.Ordinal);
        AssertNothingWritten(runner);
    }

    [Fact]
    public async Task Pull_TarDigestAnnotationLies_IsRefusedAndNothingIsWritten()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        var tar = FakeArtifact.Tar(Dir("t/"), (TarEntryType.RegularFile, "t/a.txt", null, Payload));
        FakeArtifact.AddDirectory(registry, "evil/dir", "v1", "t", tar, FakeArtifact.Digest("other"u8.ToArray()));

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/evil/dir:v1", "-o", "out");

        Assert.True(pull.ExitCode == 3, pull.ToString());
        Assert.Contains("io.deis.oras.content.digest", pull.Stderr, StringComparison.Ordinal);
        AssertNothingWritten(runner);
    }

    [Fact]
    public async Task Pull_SizeBomb_IsStoppedByTheLimitAndNothingIsWritten()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();

        // 64 MiB of zeros compress to a few tens of KiB.
        var tar = FakeArtifact.Tar(Dir("t/"), (TarEntryType.RegularFile, "t/zeros", null, new byte[64 << 20]));
        FakeArtifact.AddDirectory(registry, "evil/bomb", "v1", "t", tar);

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/evil/bomb:v1", "-o", "out",
            "--max-extract-size", "1M");

        Assert.True(pull.ExitCode == 1, pull.ToString());
        Assert.Contains("--max-extract-size", pull.Stderr, StringComparison.Ordinal);
        AssertNothingWritten(runner);

        var raised = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/evil/bomb:v1", "-o", "out",
            "--max-extract-size", "65M");

        Assert.True(raised.ExitCode == 0, raised.ToString());
        Assert.Equal(64 << 20, new FileInfo(Path.Combine(runner.WorkingDirectory, "out", "t", "zeros")).Length);
    }

    [Fact]
    public async Task Pull_TooManyEntries_IsStoppedByTheLimitAndNothingIsWritten()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        var entries = Enumerable.Range(0, 20)
            .Select(i => (TarEntryType.RegularFile, $"t/f{i}", (string?)null, (byte[]?)Payload))
            .Prepend(Dir("t/"))
            .ToArray();
        FakeArtifact.AddDirectory(registry, "evil/many", "v1", "t", FakeArtifact.Tar(entries));

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/evil/many:v1", "-o", "out",
            "--max-extract-entries", "10");

        Assert.True(pull.ExitCode == 1, pull.ToString());
        Assert.Contains("--max-extract-entries", pull.Stderr, StringComparison.Ordinal);
        AssertNothingWritten(runner);
    }

    [Fact]
    public async Task Pull_LinksThatStayInside_AreKeptAndHardLinksAreCopied()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        var tar = FakeArtifact.Tar(
            Dir("./t/"),
            Dir("t/d/"),
            (TarEntryType.RegularFile, "t/d/a.txt", null, Payload),
            (TarEntryType.SymbolicLink, "t/d/up", "../../sibling", null),
            (TarEntryType.SymbolicLink, "t/down", "d/a.txt", null),
            (TarEntryType.HardLink, "t/copy.txt", "t/d/a.txt", null));
        FakeArtifact.AddDirectory(registry, "ok/dir", "v1", "t", tar);

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/ok/dir:v1", "-o", "out");

        Assert.True(pull.ExitCode == 0, pull.ToString());
        var top = Path.Combine(runner.WorkingDirectory, "out", "t");
        Assert.Equal("../../sibling", new FileInfo(Path.Combine(top, "d", "up")).LinkTarget);
        Assert.Equal(Payload, File.ReadAllBytes(Path.Combine(top, "down")));
        Assert.Equal(Payload, File.ReadAllBytes(Path.Combine(top, "copy.txt")));
        Assert.Null(new FileInfo(Path.Combine(top, "copy.txt")).LinkTarget);
    }

    [Coffer.Tests.Credentials.UnixFact]
    public async Task Pull_DestinationFolderIsALinkOutside_IsRefused()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        using var outside = new Coffer.Tests.Credentials.TempDirectory();
        Directory.CreateDirectory(Path.Combine(runner.WorkingDirectory, "out"));
        File.CreateSymbolicLink(Path.Combine(runner.WorkingDirectory, "out", "t"), outside.Path);
        FakeArtifact.AddDirectory(registry, "evil/dir", "v1", "t",
            FakeArtifact.Tar(Dir("t/"), (TarEntryType.RegularFile, "t/a.txt", null, Payload)));

        var pull = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/evil/dir:v1", "-o", "out");

        Assert.True(pull.ExitCode == 1, pull.ToString());
        Assert.Contains("is a symbolic link", pull.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(outside.Path));
    }

    [Coffer.Tests.Credentials.UnixFact]
    public async Task Pull_IntoExistingFolderWithLinks_ReplacesLinksAndNeverFollowsThem()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        using var outside = new Coffer.Tests.Credentials.TempDirectory();
        var victim = outside.Combine("victim.txt");
        File.WriteAllText(victim, "untouched");
        var top = Path.Combine(runner.WorkingDirectory, "out", "t");
        Directory.CreateDirectory(top);
        File.CreateSymbolicLink(Path.Combine(top, "a.txt"), victim);
        File.WriteAllText(Path.Combine(top, "mine.txt"), "kept");
        FakeArtifact.AddDirectory(registry, "evil/dir", "v1", "t",
            FakeArtifact.Tar(Dir("t/"), (TarEntryType.RegularFile, "t/a.txt", null, Payload)));
        File.CreateSymbolicLink(Path.Combine(top, "d"), outside.Path);
        FakeArtifact.AddDirectory(registry, "evil/dir", "v2", "t",
            FakeArtifact.Tar(Dir("t/"), Dir("t/d/"), (TarEntryType.RegularFile, "t/d/b.txt", null, Payload)));

        var replaced = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/evil/dir:v1", "-o", "out");
        var refused = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/evil/dir:v2", "-o", "out");

        Assert.True(replaced.ExitCode == 0, replaced.ToString());
        Assert.Equal("untouched", File.ReadAllText(victim));
        Assert.Null(new FileInfo(Path.Combine(top, "a.txt")).LinkTarget);
        Assert.Equal(Payload, File.ReadAllBytes(Path.Combine(top, "a.txt")));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(top, "mine.txt")));
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("is a file or link where the layer has a folder", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(["victim.txt"], Directory.GetFileSystemEntries(outside.Path).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(runner.WorkingDirectory, "out"), "*.unpack"));
    }

    private static (TarEntryType, string, string?, byte[]?) Dir(string name) =>
        (TarEntryType.Directory, name, null, null);

    private static void AssertNothingWritten(CofferRunner runner)
    {
        var output = Path.Combine(runner.WorkingDirectory, "out");
        Assert.Empty(Directory.Exists(output) ? Directory.GetFileSystemEntries(output) : []);
        Assert.All(Directory.GetFileSystemEntries(runner.WorkingDirectory), e => Assert.Equal(output, e));
        Assert.False(File.Exists("/tmp/coffer-pwn"));
        Assert.False(File.Exists("/tmp/pwn"));
    }
}
