using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer manifest fetch</c>: a manifest's bytes, or its descriptor.</summary>
internal static class ManifestFetchCommand
{
    /// <summary>The output flags <c>fetch</c> and <c>fetch-config</c> share.</summary>
    public static IReadOnlyList<OptionSpec> Flags { get; } =
    [
        new("output", 'o', "file|-", "write the content to this file (- for stdout)"),
        new("descriptor", null, null, "print the descriptor instead of the content"),
        new("pretty", null, null, "indent JSON output"),
        PlatformArguments.Option,
        CommonOptions.OciLayout,
        CommonOptions.Format,
    ];

    public static CommandSpec Spec { get; } = new()
    {
        Name = "manifest fetch",
        Aliases = ["get", "show"],
        Summary = "Fetch a manifest",
        Usage = "manifest fetch [flags] <registry>/<repository>{:<tag>|@<digest>}",
        Description =
            "Prints the manifest exactly as the registry served it (checked against the digest when one\n" +
            "is given), or writes it to a file with -o. --descriptor prints its descriptor instead.\n" +
            "--platform takes the manifest for that platform out of an index.",
        Examples =
        [
            "coffer manifest fetch --pretty localhost:5000/app/release:v1",
            "coffer manifest fetch --descriptor ghcr.io/owner/repo/state:latest",
            "coffer manifest fetch -o manifest.json localhost:5000/app/release@sha256:<hex>",
            "coffer manifest fetch --platform linux/arm64 localhost:5000/app/multi:v1",
            "coffer manifest fetch --oci-layout --pretty ./layout:v1",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote, Flags),
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var argument = TargetArgument.Parse(parsed, parsed.Arguments[0]);
        var reference = argument.RequireManifestReference();
        var output = ManifestCommand.OutputPath(context, parsed);
        using var target = argument.Open(session, write: false);
        var operation = $"fetch manifest {argument}";
        var platform = PlatformArguments.Parse(parsed);

        // A descriptor alone needs no body: HEAD is enough (unless an index entry must be picked).
        if (parsed.Flag("descriptor") && output is null && platform is null)
        {
            var resolved = await target.Target.ResolveAsync(reference, operation, context.Cancellation)
                .ConfigureAwait(false)
                ?? throw argument.MissingManifest(reference, operation);
            WriteDescriptor(context, parsed, session, argument, resolved);
            return ExitCodes.Success;
        }

        var manifest = await PlatformArguments.FetchAsync(session, target.Target, reference, platform, operation)
            .ConfigureAwait(false);
        await WriteAsync(context, parsed, session, argument, manifest.ToDescriptor(),
            manifest.Content, output).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>Writes fetched content as the flags ask: a file, a descriptor, a JSON document or the bytes.</summary>
    public static async Task WriteAsync(
        CliContext context, ParsedCommand parsed, Session session, TargetArgument argument, Descriptor descriptor,
        byte[] content, string? output)
    {
        var pretty = parsed.Flag("pretty");
        if (output is not null)
        {
            await OutputFile.WriteAsync(output, pretty ? JsonOutput.Pretty(content) : content, context.Cancellation)
                .ConfigureAwait(false);
        }

        if (parsed.Flag("descriptor"))
        {
            WriteDescriptor(context, parsed, session, argument, descriptor);
            return;
        }

        if (session.Json)
        {
            ManifestDocument.From(argument, descriptor, content).WriteTo(context.Stdout);
            return;
        }

        if (output is null)
        {
            await BinaryOutput.WriteAsync(context, pretty ? JsonOutput.Pretty(content) : content)
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// What <c>--descriptor</c> prints: the bare OCI descriptor, or with <c>--format json</c> the document
    /// without its content.
    /// </summary>
    public static void WriteDescriptor(
        CliContext context, ParsedCommand parsed, Session session, TargetArgument argument, Descriptor descriptor)
    {
        if (session.Json)
        {
            ManifestDocument.From(argument, descriptor, content: null).WriteTo(context.Stdout);
            return;
        }

        context.Stdout.WriteLine(JsonOutput.BareDescriptor(descriptor, parsed.Flag("pretty")));
    }
}
