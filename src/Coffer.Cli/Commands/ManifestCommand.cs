using Coffer.Cli.Parsing;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer manifest</c>: manifests by reference, as <c>oras manifest</c> handles them.</summary>
internal static class ManifestCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "manifest",
        Summary = "Fetch, push and delete manifests; create and update indexes",
        Usage = "manifest <command> [flags] [arguments]",
        Examples =
        [
            "coffer manifest fetch --pretty localhost:5000/app/release:v1",
            "coffer manifest delete -f localhost:5000/app/release@sha256:<hex>",
        ],
        Subcommands =
        [
            ManifestFetchCommand.Spec,
            ManifestFetchConfigCommand.Spec,
            ManifestPushCommand.Spec,
            ManifestDeleteCommand.Spec,
            ManifestIndexCommand.Spec,
        ],
        Run = (_, _) => Task.FromResult(ExitCodes.Usage),
    };

    /// <summary>Where <c>-o</c> writes: null for stdout (no flag or <c>-</c>), else the full path.</summary>
    public static string? OutputPath(Hosting.CliContext context, ParsedCommand parsed) =>
        parsed.Value("output") is { } output && output != "-"
            ? Path.GetFullPath(output, context.WorkingDirectory)
            : null;
}
