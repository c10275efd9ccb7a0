using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer blob delete</c>: one blob by digest.</summary>
internal static class BlobDeleteCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "blob delete",
        Aliases = ["remove", "rm"],
        Summary = "Delete a blob by digest",
        Usage = "blob delete [flags] <registry>/<repository>@<digest>",
        Description =
            "On a terminal the delete is confirmed first; elsewhere -f is needed. With -f, a blob that is\n" +
            "already gone prints Missing and succeeds.",
        Examples =
        [
            "coffer blob delete localhost:5000/app/release@sha256:<hex>",
            "coffer blob delete -f localhost:5000/app/release@sha256:<hex>",
            "coffer blob delete --oci-layout -f ./layout@sha256:<hex>",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote,
        [
            Confirmation.Force,
            new("descriptor", null, null, "print the deleted blob's descriptor (needs --force)"),
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
        var digest = BlobCommand.RequireDigest(argument);
        Confirmation.CheckDescriptorFlag(parsed);

        if (!Confirmation.Ask(context, parsed, $"Delete the blob {digest}?"))
        {
            return Confirmation.Declined(context);
        }

        using var target = argument.Open(session, write: true);
        var operation = $"delete blob {argument}";
        var descriptor = parsed.Flag("descriptor")
            ? await target.Target.ResolveBlobAsync(digest, operation, context.Cancellation).ConfigureAwait(false)
            : null;
        if (!await target.Target.DeleteBlobAsync(digest, operation, context.Cancellation).ConfigureAwait(false))
        {
            return ManifestDeleteCommand.Missing(context, parsed, argument, operation);
        }

        if (session.Json)
        {
            var deleted = descriptor is null
                ? DeleteDocument.Removed(argument, digest)
                : DeleteDocument.Removed(argument, descriptor);
            deleted.WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        if (descriptor is not null)
        {
            context.Stdout.WriteLine(JsonOutput.BareDescriptor(descriptor, parsed.Flag("pretty")));
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine($"Deleted {argument.Kind} {argument}");
        return ExitCodes.Success;
    }
}
