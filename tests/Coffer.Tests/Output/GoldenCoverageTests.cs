using Coffer.Cli;
using Coffer.Cli.Parsing;

namespace Coffer.Tests.Output;

/// <summary>Every command that takes <c>--format</c> has its JSON document pinned by a golden file.</summary>
public sealed class GoldenCoverageTests
{
    [Fact]
    public void EveryCommandWithFormat_HasAGoldenJsonFile()
    {
        var commands = CofferApp.Commands.SelectMany(Leaves)
            .Where(c => c.Options.Any(o => o.Long == CommonOptions.Format.Long))
            .Select(c => c.Name.Replace(' ', '-'))
            .ToList();

        var missing = commands.Where(c => !File.Exists(Path.Combine(GoldenFile.Folder, c + ".json"))).ToList();

        Assert.True(commands.Count >= 20,
            $"only {commands.Count} commands take --format: {string.Join(", ", commands)}");
        Assert.True(missing.Count == 0,
            $"no golden file for: {string.Join(", ", missing)}. Add a test in tests/Coffer.Tests/Output that runs " +
            $"the command with --format json and matches '<command>.json', then run it with " +
            $"{GoldenFile.UpdateVariable}=1.");
    }

    [Fact]
    public void EveryCommandThatPrintsAResult_TakesFormat_ExceptCompletion()
    {
        var without = CofferApp.Commands.SelectMany(Leaves)
            .Where(c => c.Options.All(o => o.Long != CommonOptions.Format.Long))
            .Select(c => c.Name)
            .ToList();

        Assert.Equal(["completion"], without);
    }

    // Groups (manifest, manifest index, blob, repo) only dispatch; their leaves print results.
    private static IEnumerable<CommandSpec> Leaves(CommandSpec command) =>
        command.Subcommands.Count > 0 ? command.Subcommands.SelectMany(Leaves) : [command];
}
