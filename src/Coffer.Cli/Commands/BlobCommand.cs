using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer blob</c>: blobs by digest, as <c>oras blob</c> handles them.</summary>
internal static class BlobCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "blob",
        Summary = "Fetch, push and delete blobs",
        Usage = "blob <command> [flags] [arguments]",
        Examples =
        [
            "coffer blob fetch -o layer.tar localhost:5000/app/release@sha256:<hex>",
            "coffer blob push localhost:5000/app/release layer.tar",
        ],
        Subcommands = [BlobFetchCommand.Spec, BlobPushCommand.Spec, BlobDeleteCommand.Spec],
        Run = (_, _) => Task.FromResult(ExitCodes.Usage),
    };

    /// <summary>The digest a blob reference must carry.</summary>
    public static Digest RequireDigest(Hosting.TargetArgument argument) => argument.Digest
        ?? throw new UsageException(argument.IsLayout
            ? $"'{argument}' names no digest; write it as <dir-or-tar>@<digest>"
            : $"'{argument}' names no digest; write it as <registry>/<repository>@<digest>");
}
