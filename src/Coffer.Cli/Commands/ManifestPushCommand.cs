using System.Text;
using System.Text.Json;
using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer manifest push</c>: a manifest file, pushed byte for byte.</summary>
internal static class ManifestPushCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "manifest push",
        Summary = "Push a manifest from a file or stdin",
        Usage = "manifest push [flags] <registry>/<repository>[:<tag>[,<tag>...]|@<digest>] <file|->",
        Description =
            "Pushes the bytes unchanged, so the digest is the file's. The media type comes from the\n" +
            "manifest's mediaType field, or from --media-type when it has none. The blobs it names must be\n" +
            "in the repository already.",
        Examples =
        [
            "coffer manifest push localhost:5000/app/release:v1,latest manifest.json",
            "cat index.json | coffer manifest push --media-type application/vnd.oci.image.index.v1+json " +
                "localhost:5000/app/multi -",
            "coffer manifest push --oci-layout ./layout:v1 manifest.json",
        ],
        MinArguments = 2,
        MaxArguments = 2,
        Options = CommonOptions.With(CommonOptions.Remote,
        [
            new("media-type", null, "type", "media type of the manifest (needed when it has no mediaType)"),
            new("descriptor", null, null, "print the pushed manifest's descriptor"),
            new("pretty", null, null, "indent JSON output"),
            CommonOptions.OciLayout,
            CommonOptions.Format,
        ]),
        Hashes = true,
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var argument = TargetArgument.Parse(parsed, parsed.Arguments[0], tagList: true);
        var tags = argument.Tags;
        var content = await ReadAsync(context, parsed, parsed.Arguments[1]).ConfigureAwait(false);
        var mediaType = MediaType(content, parsed.Value("media-type"), parsed.Arguments[1]);
        var digest = Digest.Compute(content);
        if (argument.Digest is { } given && given != digest)
        {
            throw new UsageException($"the manifest's digest is {digest}, not the {given} in the reference");
        }

        using var target = argument.Open(session, write: true);
        var operation = $"push manifest {argument}";
        var first = argument.Digest is null && tags.Count > 0 ? tags[0] : digest.ToString();
        await target.Target.PushManifestAsync(first, content, mediaType, operation, context.Cancellation)
            .ConfigureAwait(false);
        var extra = argument.Digest is null ? tags.Skip(1).ToList() : [];
        foreach (var tag in extra)
        {
            await target.Target.PushManifestAsync(tag, content, mediaType, operation, context.Cancellation)
                .ConfigureAwait(false);
        }

        var descriptor = new Descriptor { MediaType = mediaType, Digest = digest.ToString(), Size = content.Length };
        var pinned = argument.WithDigest(digest);
        if (session.Json)
        {
            ManifestPushDocument.From(argument, descriptor, content, argument.Digest is null ? tags : [])
                .WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        if (parsed.Flag("descriptor"))
        {
            context.Stdout.WriteLine(JsonOutput.BareDescriptor(descriptor, parsed.Flag("pretty")));
            return ExitCodes.Success;
        }

        var pushed = first == digest.ToString() ? pinned : argument.WithTag(first);
        context.Stdout.WriteLine($"Pushed {argument.Kind} {pushed}");
        foreach (var tag in extra)
        {
            context.Stdout.WriteLine($"Tagged {tag}");
        }

        context.Stdout.WriteLine($"Digest: {digest}");
        return ExitCodes.Success;
    }

    private static async Task<byte[]> ReadAsync(CliContext context, ParsedCommand parsed, string source)
    {
        if (source == "-")
        {
            if (parsed.Flag("password-stdin") || parsed.Flag("identity-token-stdin"))
            {
                throw new UsageException("the manifest and the secret cannot both come from stdin");
            }

            var text = await context.Stdin().ReadToEndAsync(context.Cancellation).ConfigureAwait(false);
            var bytes = Encoding.UTF8.GetBytes(text);
            return bytes.Length <= Repository.MaxManifestBytes ? bytes : throw TooLarge("stdin");
        }

        var path = Path.GetFullPath(source, context.WorkingDirectory);
        if (!File.Exists(path))
        {
            throw new UsageException($"the manifest file {source} does not exist");
        }

        if (new FileInfo(path).Length > Repository.MaxManifestBytes)
        {
            throw TooLarge(source);
        }

        return await File.ReadAllBytesAsync(path, context.Cancellation).ConfigureAwait(false);
    }

    private static UsageException TooLarge(string source) =>
        new($"the manifest in {source} is over the {Repository.MaxManifestBytes / 1024 / 1024} MiB registries accept");

    private static string MediaType(byte[] content, string? flag, string source)
    {
        ManifestProbe? probe;
        try
        {
            probe = JsonSerializer.Deserialize(content, ContentJsonContext.Default.ManifestProbe);
        }
        catch (JsonException e)
        {
            throw new UsageException($"the manifest in {source} is not valid JSON: {e.Message}");
        }

        var stated = probe?.MediaType;
        if (flag is not null && stated is not null && flag != stated)
        {
            throw new UsageException($"--media-type {flag} differs from the manifest's own mediaType {stated}");
        }

        var mediaType = flag ?? stated ?? throw new UsageException(
            $"the manifest in {source} has no mediaType field; give its type with --media-type");
        if (!MediaTypes.IsValid(mediaType))
        {
            throw new UsageException($"'{mediaType}' is not a valid media type");
        }

        return mediaType;
    }
}
