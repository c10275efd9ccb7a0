using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;
using Coffer.Registry;

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
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote,
        [
            new("full-reference", 'l', null, "print <registry>/<repository>@<digest> instead of the digest alone"),
            CommonOptions.Format,
        ]),
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var reference = ReferenceArguments.Parse(parsed.Arguments[0]);
        var target = reference.ManifestReference
            ?? throw new UsageException($"'{reference}' names no tag or digest; add :<tag> or @sha256:<digest>");
        using var client = new RegistryClient(reference, session.ClientOptions(), write: false);
        var operation = $"resolve {reference}";
        var descriptor = await client.Repository!.ResolveAsync(target, operation, context.Cancellation)
            .ConfigureAwait(false)
            ?? throw new CofferException(
                $"{operation}: the registry has no manifest {target}",
                "check the repository name and the tag or digest");
        if (session.Json)
        {
            ResolveDocument.From(reference, descriptor).WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine(parsed.Flag("full-reference")
            ? $"{reference.Registry}/{reference.Repository}@{descriptor.Digest}"
            : descriptor.Digest);
        return ExitCodes.Success;
    }
}
