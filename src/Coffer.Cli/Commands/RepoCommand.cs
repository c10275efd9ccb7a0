using Coffer.Cli.Parsing;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer repo</c>: the repositories of a registry and the tags of a repository.</summary>
internal static class RepoCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "repo",
        Summary = "List repositories and tags",
        Usage = "repo <command> [flags] [arguments]",
        Examples = ["coffer repo ls localhost:5000", "coffer repo tags localhost:5000/app/release"],
        Subcommands = [RepoListCommand.Spec, RepoTagsCommand.Spec],
        Run = (_, _) => Task.FromResult(ExitCodes.Usage),
    };
}
