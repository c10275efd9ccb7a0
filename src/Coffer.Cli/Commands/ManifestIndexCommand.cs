using Coffer.Cli.Parsing;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer manifest index</c>: image indexes, as <c>oras manifest index</c> makes them.</summary>
internal static class ManifestIndexCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "manifest index",
        Summary = "Create and update image indexes",
        Usage = "manifest index <command> [flags] [arguments]",
        Examples =
        [
            "coffer manifest index create localhost:5000/app/multi:v1 linux-amd64 linux-arm64",
            "coffer manifest index update localhost:5000/app/multi:v1 --add linux-riscv64",
        ],
        Subcommands =
        [
            ManifestIndexCreateCommand.Spec,
            ManifestIndexUpdateCommand.Spec,
        ],
        Run = (_, _) => Task.FromResult(ExitCodes.Usage),
    };
}
