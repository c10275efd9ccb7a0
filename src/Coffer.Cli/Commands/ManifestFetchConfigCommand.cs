using System.Text.Json;
using Coffer.Cli.Hosting;
using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer manifest fetch-config</c>: the config blob of an image manifest.</summary>
internal static class ManifestFetchConfigCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "manifest fetch-config",
        Aliases = ["get-config"],
        Summary = "Fetch the config of a manifest",
        Usage = "manifest fetch-config [flags] <registry>/<repository>{:<tag>|@<digest>}",
        Description = "Prints the config blob an image manifest names, checked against its digest and size.\n" +
            "For an index, --platform picks the manifest whose config is printed.",
        Examples =
        [
            "coffer manifest fetch-config --pretty localhost:5000/app/release:v1",
            "coffer manifest fetch-config --descriptor ghcr.io/owner/repo/state:latest",
            "coffer manifest fetch-config --platform linux/amd64 localhost:5000/app/multi:v1",
            "coffer manifest fetch-config --oci-layout ./layout:v1",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote, ManifestFetchCommand.Flags),
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var argument = TargetArgument.Parse(parsed, parsed.Arguments[0]);
        var reference = argument.RequireManifestReference();
        var output = ManifestCommand.OutputPath(context, parsed);
        using var target = argument.Open(session, write: false);
        var operation = $"fetch config of {argument}";
        var manifest = await PlatformArguments.FetchAsync(session, target.Target, reference,
            PlatformArguments.Parse(parsed), operation).ConfigureAwait(false);

        var config = Config(manifest, operation);
        if (parsed.Flag("descriptor") && output is null)
        {
            ManifestFetchCommand.WriteDescriptor(context, parsed, session, argument, config);
            return ExitCodes.Success;
        }

        var content = await target.Target.FetchBlobAsync(config, Repository.MaxManifestBytes, operation,
            context.Cancellation).ConfigureAwait(false);
        await ManifestFetchCommand.WriteAsync(context, parsed, session, argument, config, content, output)
            .ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static Descriptor Config(FetchedManifest manifest, string operation)
    {
        if (manifest.MediaType is not (MediaTypes.ImageManifest or MediaTypes.DockerManifest))
        {
            throw new CofferException(
                $"{operation}: the manifest is a {manifest.MediaType}, which has no config",
                "fetch-config needs an image manifest; pick an index's entry with --platform or by its digest");
        }

        try
        {
            var parsed = JsonSerializer.Deserialize(manifest.Content, ContentJsonContext.Default.ImageManifest);
            if (parsed?.Config is { Digest.Length: > 0 } config)
            {
                return config;
            }
        }
        catch (JsonException)
        {
        }

        throw new CofferException($"{operation}: the manifest {manifest.Digest} names no valid config");
    }
}
