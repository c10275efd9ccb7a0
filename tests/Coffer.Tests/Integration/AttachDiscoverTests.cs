using System.Text.Json;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

/// <summary>attach and discover on distribution 2.8, where the client keeps the referrers tag schema.</summary>
public sealed class AttachDiscoverTests
{
    [Fact]
    public async Task AttachTwoLevels_DiscoverShowsTheTree_AndFiltersByType()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("app.bin", "app"u8.ToArray());
        runner.WriteFile("sbom.json", "{}"u8.ToArray());
        var subject = $"{registry.Host}/ad/app:v1";
        var push = await runner.RunAsync("push", "--plain-http", subject, "app.bin");

        var sbom = await runner.RunAsync("attach", "--plain-http", "--artifact-type", "application/vnd.example.sbom",
            subject, "sbom.json");
        var sbomDigest = Line(sbom, "Digest");
        var note = await runner.RunAsync("attach", "--plain-http", "--artifact-type", "application/vnd.example.note",
            "-a", "reviewed=yes", $"{registry.Host}/ad/app@{sbomDigest}");
        var tree = await runner.RunAsync("discover", "--plain-http", subject);
        var json = await runner.RunAsync("discover", "--plain-http", "--format", "json", subject);
        var filtered = await runner.RunAsync("discover", "--plain-http", "--format", "json", "--artifact-type",
            "application/vnd.example.note", subject);

        Assert.Equal(0, push.ExitCode);
        Assert.True(sbom.ExitCode == 0, sbom.ToString());
        Assert.Contains($"Attached to [registry] {registry.Host}/ad/app@{Line(push, "Digest")}", sbom.Stdout,
            StringComparison.Ordinal);
        Assert.True(note.ExitCode == 0, note.ToString());
        Assert.True(tree.ExitCode == 0, tree.ToString());
        Assert.Contains("└── application/vnd.example.sbom", tree.Stdout, StringComparison.Ordinal);
        Assert.Contains("application/vnd.example.note", tree.Stdout, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Stdout);
        var level1 = Assert.Single(document.RootElement.GetProperty("referrers").EnumerateArray().ToList());
        Assert.Equal(sbomDigest, level1.GetProperty("digest").GetString());
        var level2 = Assert.Single(level1.GetProperty("referrers").EnumerateArray().ToList());
        Assert.Equal("yes", level2.GetProperty("annotations").GetProperty("reviewed").GetString());
        Assert.Empty(level2.GetProperty("referrers").EnumerateArray());
        using var onlyNotes = JsonDocument.Parse(filtered.Stdout);
        Assert.Empty(onlyNotes.RootElement.GetProperty("referrers").EnumerateArray());
    }

    [Fact]
    public async Task Attach_WithoutArtifactType_IsAUsageError()
    {
        using var runner = new CofferRunner();

        var attach = await runner.RunAsync("attach", "--plain-http", "127.0.0.1:9/a/b:c", "x");

        Assert.Equal(2, attach.ExitCode);
        Assert.Contains("--artifact-type", attach.Stderr, StringComparison.Ordinal);
    }

    private static string Line(CliResult result, string name) =>
        result.Stdout.Split('\n')
            .Single(l => l.StartsWith(name + ": ", StringComparison.Ordinal))[(name.Length + 2)..]
            .Trim();
}
