using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer manifest delete</c>: a manifest and every tag that points at it.</summary>
internal static class ManifestDeleteCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "manifest delete",
        Aliases = ["remove", "rm"],
        Summary = "Delete a manifest and the tags pointing at it",
        Usage = "manifest delete [flags] <registry>/<repository>{:<tag>|@<digest>}",
        Description =
            "A tag is first resolved to its digest, and the manifest is deleted by digest, which removes\n" +
            "every tag pointing at it. On a terminal the delete is confirmed first; elsewhere -f is needed.\n" +
            "With -f, a manifest that is already gone prints Missing and succeeds.",
        Examples =
        [
            "coffer manifest delete localhost:5000/app/release:v1",
            "coffer manifest delete -f localhost:5000/app/release@sha256:<hex>",
            "coffer manifest delete --oci-layout -f ./layout:old",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote,
        [
            Confirmation.Force,
            new("descriptor", null, null, "print the deleted manifest's descriptor (needs --force)"),
            new("pretty", null, null, "indent JSON output"),
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
        Confirmation.CheckDescriptorFlag(parsed);

        using var target = argument.Open(session, write: true);
        var operation = $"delete manifest {argument}";
        var descriptor = await target.Target.ResolveAsync(reference, operation, context.Cancellation)
            .ConfigureAwait(false);
        if (descriptor is null)
        {
            return Missing(context, parsed, argument, operation);
        }

        var digest = descriptor.ParsedDigest();
        if (!Confirmation.Ask(context, parsed,
            $"Delete the manifest {digest} and every tag that points at it?"))
        {
            return Confirmation.Declined(context);
        }

        if (!await target.Target.DeleteManifestAsync(digest, operation, context.Cancellation)
            .ConfigureAwait(false))
        {
            return Missing(context, parsed, argument, operation);
        }

        if (session.Json)
        {
            DeleteDocument.Removed(argument, descriptor).WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        if (parsed.Flag("descriptor"))
        {
            context.Stdout.WriteLine(JsonOutput.BareDescriptor(descriptor, parsed.Flag("pretty")));
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine($"Deleted {argument.Kind} {argument.WithDigest(digest)}");
        return ExitCodes.Success;
    }

    /// <summary>With --force a missing target is success; without, an error.</summary>
    public static int Missing(CliContext context, ParsedCommand parsed, TargetArgument argument, string operation)
    {
        if (parsed.Flag("force"))
        {
            if (OutputFormat.IsJson(parsed))
            {
                DeleteDocument.Missing(argument).WriteTo(context.Stdout);
                return ExitCodes.Success;
            }

            context.Stdout.WriteLine($"Missing {argument}");
            return ExitCodes.Success;
        }

        throw new CofferException(
            $"{operation}: the {argument.Noun} has no {argument}",
            $"{argument.MissingHint}; -f treats a missing target as deleted");
    }

}
