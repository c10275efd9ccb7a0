using Coffer.Cli.Commands;

namespace Coffer.Tests.Cli.Commands;

/// <summary>Command groups (<c>repo</c>, <c>manifest</c>, <c>blob</c>): their help and their errors.</summary>
public sealed class CommandGroupTests
{
    [Fact]
    public async Task RootHelp_EverySummaryStartsInTheSameColumn()
    {
        using var runner = new CofferRunner();

        var help = await runner.RunAsync("--help");

        Assert.Equal(0, help.ExitCode);
        var lines = help.Stdout.Split('\n')
            .SkipWhile(l => l != "Commands:").Skip(1).TakeWhile(l => l.Length > 0).ToList();
        Assert.Contains(lines, l => l.StartsWith("  generate-key-pair", StringComparison.Ordinal));
        Assert.Single(lines.Select(SummaryColumn).Distinct());

        static int SummaryColumn(string line)
        {
            var nameEnd = line.IndexOf(' ', 2);
            return nameEnd + line[nameEnd..].TakeWhile(c => c == ' ').Count();
        }
    }

    [Theory]
    [InlineData("repo", "ls", "tags")]
    [InlineData("manifest", "fetch", "fetch-config", "push", "delete")]
    [InlineData("blob", "fetch", "push", "delete")]
    public async Task GroupHelp_ListsEverySubcommand(string group, params string[] subcommands)
    {
        using var runner = new CofferRunner();

        var help = await runner.RunAsync(group, "--help");
        var bare = await runner.RunAsync(group);

        Assert.Equal(0, help.ExitCode);
        Assert.All(subcommands, s => Assert.Contains($"\n  {s}", help.Stdout, StringComparison.Ordinal));
        Assert.Equal(2, bare.ExitCode);
        Assert.Contains("Commands:", bare.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("repo", "ls")]
    [InlineData("repo", "tags")]
    [InlineData("manifest", "fetch")]
    [InlineData("manifest", "fetch-config")]
    [InlineData("manifest", "push")]
    [InlineData("manifest", "delete")]
    [InlineData("blob", "fetch")]
    [InlineData("blob", "push")]
    [InlineData("blob", "delete")]
    public async Task SubcommandHelp_ShowsItsOwnUsageAndAnExample(string group, string subcommand)
    {
        using var runner = new CofferRunner();

        var help = await runner.RunAsync(group, subcommand, "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains($"Usage: coffer {group} {subcommand} ", help.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Examples:\n  coffer {group} {subcommand} ", help.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownSubcommand_IsAUsageErrorNamingIt()
    {
        using var runner = new CofferRunner();

        var result = await runner.RunAsync("repo", "nope");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown command 'coffer repo nope'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubcommandUsageError_PointsAtTheSubcommandsHelp()
    {
        using var runner = new CofferRunner();

        var result = await runner.RunAsync("blob", "fetch", "localhost:5000/a/b:v1", "-o", "x");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("names no digest", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("coffer blob fetch --help", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sha256-2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881", true)]
    [InlineData("sha256-short", false)]
    [InlineData("v1", false)]
    [InlineData("sha256-2D711642B726B04401627CA9FBAC32F5C8530FB1903CC4DB02258717921A4881", false)]
    public void IsDigestTag_MatchesTheReferrersTagSchemaOnly(string tag, bool expected) =>
        Assert.Equal(expected, RepoTagsCommand.IsDigestTag(tag));
}
