using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;
using Coffer.Targets;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer blob fetch</c>: a blob, verified against its digest before it is kept.</summary>
internal static class BlobFetchCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "blob fetch",
        Aliases = ["get"],
        Summary = "Fetch a blob by digest",
        Usage = "blob fetch [flags] {-o <file|-> | --descriptor} <registry>/<repository>@<digest>",
        Description =
            "The blob streams into a temporary file and is renamed into place (or copied to stdout for\n" +
            "-o -) only once its digest matches, so nothing unverified is ever kept or printed.",
        Examples =
        [
            "coffer blob fetch -o layer.tar localhost:5000/app/release@sha256:<hex>",
            "coffer blob fetch --descriptor localhost:5000/app/release@sha256:<hex>",
            "coffer blob fetch --oci-layout -o layer.tar ./layout@sha256:<hex>",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote,
        [
            new("output", 'o', "file|-", "write the blob to this file (- for stdout)"),
            new("descriptor", null, null, "print the blob's descriptor"),
            new("pretty", null, null, "indent JSON output"),
            CommonOptions.Format,
            CommonOptions.OciLayout,
        ]),
        Hashes = true,
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var argument = TargetArgument.Parse(parsed, parsed.Arguments[0]);
        var digest = BlobCommand.RequireDigest(argument);
        var output = parsed.Value("output");
        if (output is null && !parsed.Flag("descriptor"))
        {
            throw new UsageException("say where the blob goes with -o <file|->, or ask for --descriptor");
        }

        if (output == "-" && parsed.Flag("descriptor"))
        {
            throw new UsageException("-o - and --descriptor would both print to stdout; pick one");
        }

        if (output == "-" && session.Json)
        {
            throw new UsageException("-o - prints the blob itself, so there is no room for --format json; pick one");
        }

        using var target = argument.Open(session, write: false);
        var operation = $"fetch blob {argument}";
        Coffer.Content.Descriptor descriptor;
        if (output is null)
        {
            descriptor = await target.Target.ResolveBlobAsync(digest, operation, context.Cancellation)
                .ConfigureAwait(false)
                ?? throw new CofferException(
                    $"{operation}: the {(argument.IsLayout ? "layout" : "repository")} has no blob {digest}",
                    argument.IsLayout ? "check the layout's path and the digest"
                        : "check the repository name and the digest");
        }
        else if (output == "-")
        {
            descriptor = await ToStdoutAsync(context, target.Target, digest, operation).ConfigureAwait(false);
        }
        else
        {
            Coffer.Content.Descriptor? fetched = null;
            await OutputFile.WriteAsync(
                Path.GetFullPath(output, context.WorkingDirectory),
                async file => fetched = await target.Target.DownloadBlobAsync(digest, file, operation,
                    context.Cancellation).ConfigureAwait(false),
                context.Cancellation).ConfigureAwait(false);
            descriptor = fetched!;
        }

        if (session.Json)
        {
            var path = output is null ? null : Path.GetFullPath(output, context.WorkingDirectory);
            BlobDocument.From(argument, descriptor, path).WriteTo(context.Stdout);
        }
        else if (parsed.Flag("descriptor"))
        {
            context.Stdout.WriteLine(JsonOutput.BareDescriptor(descriptor, parsed.Flag("pretty")));
        }

        return ExitCodes.Success;
    }

    // Verified in a temporary file first: a pipe cannot take back bytes that turned out wrong.
    private static async Task<Coffer.Content.Descriptor> ToStdoutAsync(
        CliContext context, ITarget repository, Coffer.Content.Digest digest, string operation)
    {
        var folder = context.Environment("TMPDIR") is { Length: > 0 } tmp ? tmp : Path.GetTempPath();
        var temporary = Path.Combine(folder, $"coffer-blob-{Guid.NewGuid():N}.partial");
        try
        {
            var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 0,
                FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            await using (file.ConfigureAwait(false))
            {
                var descriptor = await repository.DownloadBlobAsync(digest, file, operation, context.Cancellation)
                    .ConfigureAwait(false);
                file.Position = 0;
                await BinaryOutput.WriteAsync(context, file).ConfigureAwait(false);
                return descriptor;
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
