using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Targets;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer blob push</c>: one file as a blob, skipped when the repository has it.</summary>
internal static class BlobPushCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "blob push",
        Summary = "Push a file as a blob",
        Usage = "blob push [flags] <registry>/<repository>[@<digest>] <file>",
        Description =
            "Uploads the file unless the repository has a blob of the same digest. A digest in the\n" +
            "reference must match the file. --media-type only sets the type in the printed descriptor.",
        Examples =
        [
            "coffer blob push localhost:5000/app/release layer.tar",
            "coffer blob push --descriptor --media-type application/gzip localhost:5000/app/release app.tgz",
            "coffer blob push --oci-layout ./layout layer.tar",
        ],
        MinArguments = 2,
        MaxArguments = 2,
        Options = CommonOptions.With(CommonOptions.Remote,
        [
            new("media-type", null, "type", $"media type for the printed descriptor (default {MediaTypes.LayerTar})"),
            new("descriptor", null, null, "print the pushed blob's descriptor"),
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
        var argument = TargetArgument.Parse(parsed, parsed.Arguments[0]);
        if (argument.Tag is not null)
        {
            throw new UsageException($"'{parsed.Arguments[0]}' names a tag; blobs have digests only");
        }

        var mediaType = parsed.Value("media-type") ?? MediaTypes.LayerTar;
        if (!MediaTypes.IsValid(mediaType))
        {
            throw new UsageException($"'{mediaType}' is not a valid media type");
        }

        var source = parsed.Arguments[1];
        if (source == "-")
        {
            throw new UsageException("blob push reads a file, not stdin; save the content to a file first");
        }

        var path = Path.GetFullPath(source, context.WorkingDirectory);
        if (!File.Exists(path))
        {
            throw new UsageException($"the file {source} does not exist");
        }

        var descriptor = await DescribeAsync(path, mediaType, context.Cancellation).ConfigureAwait(false);
        var digest = descriptor.ParsedDigest();
        if (argument.Digest is { } given && given != digest)
        {
            throw new UsageException($"the file's digest is {digest}, not the {given} in the reference");
        }

        using var target = argument.Open(session, write: true);
        var operation = $"push blob {argument}";
        var uploaded = await target.Target.PushBlobAsync(descriptor, () => File.OpenRead(path), null, operation,
            context.Cancellation).ConfigureAwait(false);
        var pinned = argument.WithDigest(digest);
        if (session.Json)
        {
            BlobDocument.From(argument, descriptor).WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        if (parsed.Flag("descriptor"))
        {
            context.Stdout.WriteLine(JsonOutput.BareDescriptor(descriptor, parsed.Flag("pretty")));
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine($"{(uploaded ? "Pushed" : "Exists")} {argument.Kind} {pinned}");
        context.Stdout.WriteLine($"Digest: {digest}");
        return ExitCodes.Success;
    }

    private static async Task<Descriptor> DescribeAsync(string path, string mediaType, CancellationToken token)
    {
        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            using var hash = Digest.CreateHash("sha256");
            var buffer = new byte[256 * 1024];
            int read;
            long size = 0;
            while ((read = await file.ReadAsync(buffer, token).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                size += read;
            }

            return new Descriptor
            {
                MediaType = mediaType,
                Digest = Digest.FromHash("sha256", hash.GetHashAndReset()).ToString(),
                Size = size,
            };
        }
    }
}
