using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer resolve</c>: the digest a tag points at.</summary>
internal static class ResolveCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "resolve",
        Aliases = ["digest"],
        Summary = "Print the digest of a tag",
        Usage = "resolve [flags] <registry>/<repository>{:<tag>|@<digest>}",
        Examples =
        [
            "coffer resolve ghcr.io/owner/repo/state:latest",
            "coffer resolve -l localhost:5000/app/release:v1",
            "coffer resolve --oci-layout ./layout:v1",
            "coffer resolve --platform linux/arm64 localhost:5000/app/multi:v1",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote,
        [
            new("full-reference", 'l', null, "print <registry>/<repository>@<digest> instead of the digest alone"),
            PlatformArguments.Option,
            CommonOptions.Format,
            CommonOptions.OciLayout,
        ]),
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var argument = TargetArgument.Parse(parsed, parsed.Arguments[0]);
        var reference = argument.RequireManifestReference();
        using var target = argument.Open(session, write: false);
        var operation = $"resolve {argument}";
        var platform = PlatformArguments.Parse(parsed);

        // A HEAD is enough, unless an index's entry has to be picked.
        var descriptor = platform is not null
            ? (await PlatformArguments.FetchAsync(session, target.Target, reference, platform, operation)
                .ConfigureAwait(false)).ToDescriptor()
            : await target.Target.ResolveAsync(reference, operation, context.Cancellation).ConfigureAwait(false)
                ?? throw argument.MissingManifest(reference, operation);
        if (session.Json)
        {
            ResolveDocument.From(argument, descriptor).WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine(parsed.Flag("full-reference")
            ? argument.WithDigest(descriptor.ParsedDigest())
            : descriptor.Digest);
        return ExitCodes.Success;
    }
}
