using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Coffer.Artifacts;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;
using Coffer.Targets;

namespace Coffer.Tests.Targets;

/// <summary>The OCI image layout target: what it writes, what it refuses, and what it checks on reading.</summary>
public sealed class OciLayoutTests
{
    [Fact]
    public async Task Push_ToANewFolder_MakesALayoutThatPullsBackTheSameBytes()
    {
        using var folder = new LayoutFolder();
        var content = Encoding.UTF8.GetBytes("state of the build\n");

        var pushed = await folder.PushAsync("state.txt", content, "v1", "latest");
        using var layout = OciLayout.Open(folder.Layout, writable: false);
        var output = Path.Combine(folder.Root, "out");
        var pulled = await new ArtifactPuller(layout).PullAsync(
            new PullRequest { Reference = "latest", OutputDirectory = output });

        Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", File.ReadAllText(Path.Combine(folder.Layout, "oci-layout")));
        Assert.Equal([("v1", pushed.Manifest.Digest), ("latest", pushed.Manifest.Digest)], folder.IndexEntries());
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(output, "state.txt")));
        Assert.Equal(pushed.Manifest.Digest, pulled.Manifest.Digest);
        Assert.Equal(pushed.ManifestBytes, File.ReadAllBytes(folder.BlobPath(pushed.Manifest.Digest)));
    }

    [Fact]
    public async Task Push_SameTagAgain_ReplacesTheEntryAndLeavesNoTemporaryFile()
    {
        using var folder = new LayoutFolder();
        var first = await folder.PushAsync("a.txt", "one"u8.ToArray(), "v1");

        var second = await folder.PushAsync("a.txt", "two"u8.ToArray(), "v1");

        Assert.NotEqual(first.Manifest.Digest, second.Manifest.Digest);
        Assert.Equal([("v1", second.Manifest.Digest)], folder.IndexEntries());
        Assert.Empty(Directory.EnumerateFiles(folder.Layout, "*.coffer-*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(folder.Layout, ".coffer-*", SearchOption.AllDirectories)));
        Assert.True(File.Exists(folder.BlobPath(first.Manifest.Digest)));
    }

    [Fact]
    public async Task Tags_AreSortedAndFollowLast()
    {
        using var folder = new LayoutFolder();
        await folder.PushAsync("a.txt", "a"u8.ToArray(), "b", "a", "c");
        using var layout = OciLayout.Open(folder.Layout, writable: false);

        var all = await layout.TagsAsync(null, "tags");
        var after = await layout.TagsAsync("a", "tags");

        Assert.Equal(["a", "b", "c"], all);
        Assert.Equal(["b", "c"], after);
    }

    [Fact]
    public async Task PushByDigest_ListsTheManifestUntaggedOnce_AndTaggingItDropsTheUntaggedEntry()
    {
        using var folder = new LayoutFolder();
        var pushed = await folder.PushAsync("a.txt", "a"u8.ToArray());
        using var layout = OciLayout.Open(folder.Layout, writable: true);
        var untagged = folder.IndexEntries();

        await layout.PushManifestAsync(pushed.Manifest.Digest, pushed.ManifestBytes, MediaTypes.ImageManifest, "again");
        var stillOne = folder.IndexEntries();
        await layout.PushManifestAsync("v2", pushed.ManifestBytes, MediaTypes.ImageManifest, "tag");

        Assert.Equal([(null, pushed.Manifest.Digest)], untagged);
        Assert.Equal(untagged, stillOne);
        Assert.Equal([("v2", pushed.Manifest.Digest)], folder.IndexEntries());
    }

    [Fact]
    public async Task Tar_IsReadInPlace_AndRefusedForWriting()
    {
        using var folder = new LayoutFolder();
        var pushed = await folder.PushAsync("a.txt", "in a tar"u8.ToArray(), "v1");
        var tar = Path.Combine(folder.Root, "layout.tar");
        await TarFile.CreateFromDirectoryAsync(folder.Layout, tar, includeBaseDirectory: false);

        using var layout = OciLayout.Open(tar, writable: false);
        var fetched = await layout.FetchManifestAsync("v1", "fetch");
        var output = Path.Combine(folder.Root, "out");
        await new ArtifactPuller(layout).PullAsync(new PullRequest { Reference = "v1", OutputDirectory = output });
        var write = Assert.Throws<UsageException>(() => OciLayout.Open(tar, writable: true));
        var newTar = Assert.Throws<UsageException>(() => OciLayout.Open(Path.Combine(folder.Root, "new.tar"), true));
        var push = await Assert.ThrowsAsync<CofferException>(() => layout.PushManifestAsync(
            "v2", pushed.ManifestBytes, MediaTypes.ImageManifest, "push"));

        Assert.True(layout.IsTar);
        Assert.Equal(pushed.ManifestBytes, fetched.Content);
        Assert.Equal("in a tar", File.ReadAllText(Path.Combine(output, "a.txt")));
        Assert.Contains("does not write them", write.Message, StringComparison.Ordinal);
        Assert.Contains("does not write them", newTar.Message, StringComparison.Ordinal);
        Assert.Contains("reads but does not write", push.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tar_WithDotSlashNamesAndHostileEntries_ReadsOnlyLayoutFiles()
    {
        using var folder = new LayoutFolder();
        var pushed = await folder.PushAsync("a.txt", "named ./"u8.ToArray(), "v1");
        var tar = Path.Combine(folder.Root, "dots.tar");
        await using (var stream = File.Create(tar))
        await using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
        {
            // An entry that would climb out, and a link, come first; neither is ever used.
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "../outside")
            {
                DataStream = new MemoryStream("x"u8.ToArray()),
            });
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "./blobs/sha256/link")
            {
                LinkName = "/etc/passwd",
            });
            foreach (var file in Directory.EnumerateFiles(folder.Layout, "*", SearchOption.AllDirectories))
            {
                await writer.WriteEntryAsync(file, "./" + Path.GetRelativePath(folder.Layout, file));
            }
        }

        using var layout = OciLayout.Open(tar, writable: false);
        var fetched = await layout.FetchManifestAsync("v1", "fetch");

        Assert.Equal(pushed.ManifestBytes, fetched.Content);
        Assert.False(File.Exists(Path.Combine(folder.Root, "outside")));
    }

    [Fact]
    public async Task AlteredLayer_FailsThePullWithExit3_AndWritesNothing()
    {
        using var folder = new LayoutFolder();
        var pushed = await folder.PushAsync("a.txt", "genuine"u8.ToArray(), "v1");
        File.WriteAllText(folder.BlobPath(pushed.Layers[0].Digest), "forged!");
        using var layout = OciLayout.Open(folder.Layout, writable: false);
        var output = Path.Combine(folder.Root, "out");

        var error = await Assert.ThrowsAsync<CofferException>(() => new ArtifactPuller(layout).PullAsync(
            new PullRequest { Reference = "v1", OutputDirectory = output }));

        Assert.Equal(ExitCodes.VerificationFailed, error.ExitCode);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task AlteredManifest_IsRefusedByTagAndByDigest()
    {
        using var folder = new LayoutFolder();
        var pushed = await folder.PushAsync("a.txt", "a"u8.ToArray(), "v1");
        var path = folder.BlobPath(pushed.Manifest.Digest);
        File.WriteAllText(path, File.ReadAllText(path).Replace("a.txt", "b.txt", StringComparison.Ordinal));
        using var layout = OciLayout.Open(folder.Layout, writable: false);

        var byTag = await Assert.ThrowsAsync<CofferException>(() => layout.FetchManifestAsync("v1", "fetch"));
        var byDigest = await Assert.ThrowsAsync<CofferException>(
            () => layout.FetchManifestAsync(pushed.Manifest.Digest, "fetch"));

        Assert.Equal(ExitCodes.VerificationFailed, byTag.ExitCode);
        Assert.Equal(ExitCodes.VerificationFailed, byDigest.ExitCode);
    }

    [Fact]
    public async Task ALayerDigest_IsNoManifest()
    {
        using var folder = new LayoutFolder();
        var pushed = await folder.PushAsync("a.txt", "just text"u8.ToArray(), "v1");
        using var layout = OciLayout.Open(folder.Layout, writable: false);

        var resolved = await layout.ResolveAsync(pushed.Layers[0].Digest, "resolve");
        var error = await Assert.ThrowsAsync<CofferException>(
            () => layout.FetchManifestAsync(pushed.Layers[0].Digest, "fetch"));
        var config = await layout.FetchManifestAsync(pushed.Manifest.Digest, "fetch");

        Assert.Null(resolved);
        Assert.Contains("has no manifest", error.Message, StringComparison.Ordinal);
        Assert.Equal(MediaTypes.ImageManifest, config.MediaType);
    }

    [Fact]
    public async Task ForgedSizes_AreRefusedWithoutAllocatingThem()
    {
        using var folder = new LayoutFolder();
        var pushed = await folder.PushAsync("a.txt", "small"u8.ToArray(), "v1");
        var index = Path.Combine(folder.Layout, "index.json");
        File.WriteAllText(index, File.ReadAllText(index).Replace(
            $"\"size\":{pushed.ManifestBytes.Length}", "\"size\":4611686018427387904", StringComparison.Ordinal));
        using var layout = OciLayout.Open(folder.Layout, writable: false);
        var huge = new Descriptor { MediaType = "x/y", Digest = pushed.Layers[0].Digest, Size = 4611686018427387904 };

        var manifest = await Assert.ThrowsAsync<CofferException>(() => layout.FetchManifestAsync("v1", "fetch"));
        var blob = await Assert.ThrowsAsync<CofferException>(() => layout.FetchBlobAsync(huge, 1024, "fetch"));
        var stored = await Assert.ThrowsAsync<CofferException>(() => OciLayout.Open(folder.Layout, true)
            .PushBlobAsync(new Descriptor { MediaType = "x/y", Digest = Digest.Compute("other"u8).ToString(),
                Size = 4611686018427387904 }, () => new MemoryStream("other"u8.ToArray()), null, "push"));

        Assert.Equal(ExitCodes.VerificationFailed, manifest.ExitCode);
        Assert.Contains("over the 1024 read", blob.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.VerificationFailed, stored.ExitCode);
        Assert.False(File.Exists(folder.BlobPath(Digest.Compute("other"u8).ToString())));
    }

    [Fact]
    public async Task PushBlob_WrongContent_KeepsNothing()
    {
        using var folder = new LayoutFolder();
        using var layout = OciLayout.Open(folder.Layout, writable: true);
        var claimed = Digest.Compute("expected"u8);

        var error = await Assert.ThrowsAsync<CofferException>(() => layout.PushBlobAsync(
            new Descriptor { MediaType = "x/y", Digest = claimed.ToString(), Size = 8 },
            () => new MemoryStream("received"u8.ToArray()), null, "push"));

        Assert.Equal(ExitCodes.VerificationFailed, error.ExitCode);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(folder.Layout, "blobs"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task PushBlob_SourceBreakingOff_IsOpenedAgainWhereItStopped()
    {
        using var folder = new LayoutFolder();
        using var layout = OciLayout.Open(folder.Layout, writable: true);
        var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(10_000);
        var offsets = new List<long>();
        BlobOpener open = (offset, _) =>
        {
            offsets.Add(offset);
            Stream stream = offsets.Count == 1
                ? new BreakingStream(content.AsMemory(0, 4000).ToArray())
                : new MemoryStream(content[(int)offset..]);
            return Task.FromResult(stream);
        };

        var stored = await layout.PushBlobAsync(
            new Descriptor { MediaType = "x/y", Digest = Digest.Compute(content).ToString(), Size = content.Length },
            open, null, "push");

        Assert.True(stored);
        Assert.Equal([0L, 4000L], offsets);
        Assert.Equal(content, File.ReadAllBytes(folder.BlobPath(Digest.Compute(content).ToString())));
    }

    [Fact]
    public async Task PushManifest_NamingAMissingBlob_IsRefused()
    {
        using var folder = new LayoutFolder();
        using var layout = OciLayout.Open(folder.Layout, writable: true);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new ImageManifest
        {
            Layers = [new Descriptor { MediaType = "x/y", Digest = Digest.Compute("absent"u8).ToString(), Size = 6 }],
        }, ContentJsonContext.Default.ImageManifest);

        var error = await Assert.ThrowsAsync<CofferException>(
            () => layout.PushManifestAsync("v1", manifest, MediaTypes.ImageManifest, "push"));

        Assert.Contains("lacks", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Layout));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task PushManifest_UnderATagThatIsNoTag_IsRefused(string tag)
    {
        using var folder = new LayoutFolder();
        var pushed = await folder.PushAsync("a.txt", "a"u8.ToArray());
        using var layout = OciLayout.Open(folder.Layout, writable: true);

        await Assert.ThrowsAsync<UsageException>(
            () => layout.PushManifestAsync(tag, pushed.ManifestBytes, MediaTypes.ImageManifest, "push"));
    }

    [Fact]
    public async Task IndexEntry_WithAPathForADigest_IsRefusedAndReadsNothing()
    {
        using var folder = new LayoutFolder();
        await folder.PushAsync("a.txt", "a"u8.ToArray(), "v1");
        File.WriteAllText(Path.Combine(folder.Layout, "index.json"),
            "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
            "\"digest\":\"sha256:../../../../etc/passwd\",\"size\":10," +
            "\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}");
        using var layout = OciLayout.Open(folder.Layout, writable: false);

        var resolve = await Assert.ThrowsAsync<CofferException>(() => layout.ResolveAsync("v1", "resolve"));
        var fetch = await Assert.ThrowsAsync<CofferException>(() => layout.FetchManifestAsync("v1", "fetch"));

        // The tag is found, and its entry reported as damage rather than followed as a path.
        Assert.Contains("index.json lists a bad digest", resolve.Message, StringComparison.Ordinal);
        Assert.Contains("index.json lists a bad digest", fetch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFields_OfIndexJson_SurviveAnUpdate()
    {
        using var folder = new LayoutFolder();
        var pushed = await folder.PushAsync("a.txt", "a"u8.ToArray(), "v1");
        var index = Path.Combine(folder.Layout, "index.json");
        File.WriteAllText(index, File.ReadAllText(index)
            .Replace("\"manifests\":", "\"annotations\":{\"keep\":\"me\"},\"manifests\":", StringComparison.Ordinal)
            .Replace("\"size\":", "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\",\"os.version\":\"6\"}," +
                "\"size\":", StringComparison.Ordinal));
        using var layout = OciLayout.Open(folder.Layout, writable: true);

        await layout.PushManifestAsync("v2", pushed.ManifestBytes, MediaTypes.ImageManifest, "tag");

        var text = File.ReadAllText(index);
        Assert.Contains("\"keep\":\"me\"", text, StringComparison.Ordinal);
        Assert.Contains("\"os.version\":\"6\"", text, StringComparison.Ordinal);
        Assert.Equal([("v1", pushed.Manifest.Digest), ("v2", pushed.Manifest.Digest)], folder.IndexEntries());
    }

    [Fact]
    public async Task Open_RefusesWhatIsNoLayout()
    {
        using var folder = new LayoutFolder();
        File.WriteAllText(Path.Combine(folder.Work, "notes.txt"), "not a layout");

        var missing = Assert.Throws<UsageException>(() => OciLayout.Open(folder.Layout, writable: false));
        var plain = Assert.Throws<UsageException>(() => OciLayout.Open(folder.Work, writable: false));
        var plainWrite = Assert.Throws<UsageException>(() => OciLayout.Open(folder.Work, writable: true));
        using var fresh = OciLayout.Open(folder.Layout, writable: true);
        var resolved = await fresh.ResolveAsync("v1", "resolve");

        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Contains("no oci-layout file", plain.Message, StringComparison.Ordinal);
        Assert.Contains("is not empty", plainWrite.Message, StringComparison.Ordinal);
        Assert.Null(resolved);
        Assert.False(Directory.Exists(folder.Layout));
    }

    [Fact]
    public async Task BlobsFolderThatIsALink_IsNotWrittenThrough()
    {
        using var folder = new LayoutFolder();
        await folder.PushAsync("a.txt", "a"u8.ToArray(), "v1");
        var elsewhere = Directory.CreateDirectory(Path.Combine(folder.Root, "elsewhere")).FullName;
        Directory.Delete(Path.Combine(folder.Layout, "blobs", "sha256"), recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(folder.Layout, "blobs", "sha256"), elsewhere);
        using var layout = OciLayout.Open(folder.Layout, writable: true);

        var error = await Assert.ThrowsAsync<CofferException>(() => layout.PushBlobAsync(
            new Descriptor { MediaType = "x/y", Digest = Digest.Compute("b"u8).ToString(), Size = 1 },
            () => new MemoryStream("b"u8.ToArray()), null, "push"));

        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
    }

    [Fact]
    public async Task Referrers_AreFoundByScanningTheLayout()
    {
        using var folder = new LayoutFolder();
        var pushed = await folder.PushAsync("a.txt", "subject"u8.ToArray(), "v1");
        using var layout = OciLayout.Open(folder.Layout, writable: true);
        var referrers = new Referrers(layout);
        var note = await new ReferrerPusher(layout, referrers).AttachAsync(
            pushed.Manifest, "application/vnd.example.note", "reviewed"u8.ToArray(),
            new Dictionary<string, string> { ["by"] = "ci" }, "attach");
        var other = await new ReferrerPusher(layout, referrers).AttachAsync(
            pushed.Manifest, "application/vnd.example.sbom", "{}"u8.ToArray(), new Dictionary<string, string>(),
            "attach");

        var all = await referrers.ListAsync(pushed.Manifest.ParsedDigest(), null);
        var notes = await referrers.ListAsync(pushed.Manifest.ParsedDigest(), "application/vnd.example.note");
        var ofNote = await referrers.ListAsync(note.ParsedDigest(), null);

        Assert.Equal([note.Digest, other.Digest], all.Select(r => r.Digest));
        Assert.Equal("ci", Assert.Single(notes).Annotations!["by"]);
        Assert.Empty(ofNote);
        Assert.Equal([("v1", pushed.Manifest.Digest), (null, note.Digest), (null, other.Digest)],
            folder.IndexEntries());
        Assert.DoesNotContain(
            folder.IndexEntries(), e => e.Tag?.StartsWith("sha256-", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task DeleteManifest_RemovesItsEntriesAndItsBlob()
    {
        using var folder = new LayoutFolder();
        var pushed = await folder.PushAsync("a.txt", "a"u8.ToArray(), "v1", "v2");
        using var layout = OciLayout.Open(folder.Layout, writable: true);

        var deleted = await layout.DeleteManifestAsync(pushed.Manifest.ParsedDigest(), "delete");
        var again = await layout.DeleteManifestAsync(pushed.Manifest.ParsedDigest(), "delete");
        var blob = await layout.DeleteBlobAsync(pushed.Layers[0].ParsedDigest(), "delete");

        Assert.True(deleted);
        Assert.False(again);
        Assert.True(blob);
        Assert.Empty(folder.IndexEntries());
        Assert.False(File.Exists(folder.BlobPath(pushed.Manifest.Digest)));
    }

    // Gives its bytes, then fails as a dropped connection does.
    private sealed class BreakingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position < Length ? base.ReadAsync(buffer, cancellationToken)
                : throw new IOException("the connection was reset");
    }
}
