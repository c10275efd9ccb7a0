using System.Security.Cryptography;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

/// <summary><c>coffer repo ls</c> and <c>coffer repo tags</c> against distribution.</summary>
public sealed class RepoCommandTests
{
    [Theory]
    [InlineData(RegistryMode.NoAuth)]
    [InlineData(RegistryMode.Basic)]
    [InlineData(RegistryMode.Token)]
    public async Task RepoLsAndTags_ListWhatWasPushed_WithNamespaceLeftOff(RegistryMode mode)
    {
        await using var registry = await RegistryServer.StartAsync(mode);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var args = RegistryArguments.For(registry);
        var stdin = RegistryArguments.Stdin(registry);
        foreach (var reference in new[] { "team/one:v1", "team/one:v2", "team/two:v1", "solo:v1" })
        {
            var push = await runner.PipeAsync(stdin, ["push", .. args, $"{registry.Host}/{reference}", "a.txt"]);
            Assert.True(push.ExitCode == 0, push.ToString());
        }

        var all = await runner.PipeAsync(stdin, ["repo", "ls", .. args, registry.Host]);
        var team = await runner.PipeAsync(stdin, ["repo", "list", .. args, $"{registry.Host}/team"]);
        var after = await runner.PipeAsync(stdin, ["repo", "ls", .. args, "--last", "one", $"{registry.Host}/team"]);
        var tags = await runner.PipeAsync(stdin, ["repo", "tags", .. args, $"{registry.Host}/team/one"]);
        var later = await runner.PipeAsync(
            stdin, ["repo", "tags", .. args, "--last", "v1", $"{registry.Host}/team/one"]);

        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Equal(["solo", "team/one", "team/two"], Lines(all.Stdout));
        Assert.Equal(["one", "two"], Lines(team.Stdout));
        Assert.Equal(["two"], Lines(after.Stdout));
        Assert.Equal(["v1", "v2"], Lines(tags.Stdout).Order(StringComparer.Ordinal));
        Assert.True(later.ExitCode == 0, later.ToString());
    }

    [Fact]
    public async Task RepoTags_ExcludeDigestTags_HidesReferrersTagsOnly()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var repository = $"{registry.Host}/dt/art";
        await runner.RunAsync("push", "--plain-http", $"{repository}:v1", "a.txt");
        var manifest = await runner.RunAsync("manifest", "fetch", "--plain-http", $"{repository}:v1");
        runner.WriteFile("m.json", System.Text.Encoding.UTF8.GetBytes(manifest.Stdout));
        var digestTag = "sha256-" + Convert.ToHexStringLower(SHA256.HashData("x"u8));
        var tagged = await runner.RunAsync(
            "manifest", "push", "--plain-http", $"{repository}:{digestTag},sha256-short", "m.json");

        var everything = await runner.RunAsync("repo", "tags", "--plain-http", repository);
        var filtered = await runner.RunAsync("repo", "tags", "--plain-http", "--exclude-digest-tags", repository);

        Assert.True(tagged.ExitCode == 0, tagged.ToString());
        // Distribution 2.8 lists tags in no particular order.
        Assert.Equal([digestTag, "sha256-short", "v1"], Lines(everything.Stdout).Order(StringComparer.Ordinal));
        Assert.Equal(["sha256-short", "v1"], Lines(filtered.Stdout).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RepoLsAndTags_FormatJson_PrintTheVersionedDocumentsWithEmptyListsAsArrays()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        await runner.RunAsync("push", "--plain-http", $"{registry.Host}/js/art:v1", "a.txt");

        var repositories = await runner.RunAsync("repo", "ls", "--plain-http", "--format", "json", registry.Host);
        var none = await runner.RunAsync(
            "repo", "ls", "--plain-http", "--format", "json", $"{registry.Host}/nothing-here");
        var tags = await runner.RunAsync("repo", "tags", "--plain-http", "--format", "json", $"{registry.Host}/js/art");

        Assert.Equal(
            "{\n  \"schemaVersion\": 1,\n  \"repositories\": [\n    \"js/art\"\n  ]\n}\n", repositories.Stdout);
        Assert.Equal("{\n  \"schemaVersion\": 1,\n  \"repositories\": []\n}\n", none.Stdout);
        Assert.Equal("{\n  \"schemaVersion\": 1,\n  \"tags\": [\n    \"v1\"\n  ]\n}\n", tags.Stdout);
    }

    [Fact]
    public async Task RepoTags_MissingRepository_FailsNamingIt()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();

        var tags = await runner.RunAsync("repo", "tags", "--plain-http", $"{registry.Host}/no/such");

        Assert.Equal(1, tags.ExitCode);
        Assert.Contains("list tags of", tags.Stderr, StringComparison.Ordinal);
        Assert.Contains("NAME_UNKNOWN", tags.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
