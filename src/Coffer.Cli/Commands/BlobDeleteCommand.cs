using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;
using Coffer.Registry;

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
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote,
        [
            Confirmation.Force,
            new("descriptor", null, null, "print the deleted blob's descriptor (needs --force)"),
            new("pretty", null, null, "indent JSON output"),
            CommonOptions.Format,
        ]),
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var reference = ReferenceArguments.Parse(parsed.Arguments[0]);
        var digest = BlobCommand.RequireDigest(reference);
        Confirmation.CheckDescriptorFlag(parsed);

        if (!Confirmation.Ask(context, parsed, $"Delete the blob {digest}?"))
        {
            return Confirmation.Declined(context);
        }

        using var client = new RegistryClient(reference, session.ClientOptions(), write: true);
        var operation = $"delete blob {reference}";
        var descriptor = parsed.Flag("descriptor")
            ? await client.Repository!.ResolveBlobAsync(digest, operation, context.Cancellation).ConfigureAwait(false)
            : null;
        if (!await client.Repository!.DeleteBlobAsync(digest, operation, context.Cancellation).ConfigureAwait(false))
        {
            return ManifestDeleteCommand.Missing(context, parsed, reference, operation);
        }

        if (session.Json)
        {
            var deleted = descriptor is null
                ? DeleteDocument.Removed(reference, digest)
                : DeleteDocument.Removed(reference, descriptor);
            deleted.WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        if (descriptor is not null)
        {
            context.Stdout.WriteLine(JsonOutput.BareDescriptor(descriptor, parsed.Flag("pretty")));
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine($"Deleted [registry] {reference}");
        return ExitCodes.Success;
    }
}
