using Coffer.Artifacts;
using Coffer.Cli.Hosting;
using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer manifest index create</c>: an image index of manifests in one repository or OCI layout.
/// </summary>
internal static class ManifestIndexCreateCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "manifest index create",
        Aliases = ["pack"],
        Summary = "Create an index of manifests in the repository or layout and push it",
        Usage = "manifest index create [flags] <registry>/<repository>[:<tag>[,<tag>...]] [<tag>|<digest>...]",
        Description =
            "Each source is a tag or digest in the same repository or layout (:<tag>, @sha256:<hex> or a\n" +
            "bare tag). An image's entry gets the platform its config states (os, architecture, variant,\n" +
            "os.version); an artifact's entry gets none. A manifest given twice is listed once. The index\n" +
            "is pushed under the tags, or by its digest when there is none; -o writes it instead.",
        Examples =
        [
            "coffer manifest index create localhost:5000/app/multi:v1 linux-amd64 linux-arm64",
            "coffer manifest index create localhost:5000/app/multi:v1,latest :linux-amd64 @sha256:<hex>",
            "coffer manifest index create -o - --pretty localhost:5000/app/multi linux-amd64 linux-arm64",
            "coffer manifest index create --oci-layout ./layout:v1 linux-amd64 linux-arm64",
        ],
        MinArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote, IndexPublisher.Flags, [CommonOptions.OciLayout]),
        Hashes = true,
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var publisher = new IndexPublisher(context, parsed, session);
        var argument = TargetArgument.Parse(parsed, parsed.Arguments[0], tagList: true);
        var tags = argument.Tags;
        if (argument.Digest is not null)
        {
            throw new UsageException(
                $"'{parsed.Arguments[0]}' names a digest; an index makes its own digest, so give a tag or none");
        }

        if (publisher.Output is not null && tags.Count > 0)
        {
            throw new UsageException(
                "-o writes the index instead of pushing it, so it cannot be tagged; drop the tags");
        }

        var artifactType = PackArguments.ArtifactType(parsed.Value("artifact-type"));
        var annotations = publisher.Annotations();
        var sources = parsed.Arguments.Skip(1).ToList();
        foreach (var source in sources)
        {
            IndexPublisher.CheckSource(argument, source);
        }

        using var target = argument.Open(session, write: publisher.Output is null);
        var builder = new IndexBuilder(target.Target);
        var editor = new IndexEditor();
        foreach (var source in sources)
        {
            publisher.Status("Fetching", source);
            var described = await builder.DescribeAsync(source, $"add {source} to the index", context.Cancellation)
                .ConfigureAwait(false);
            publisher.Fetched(source, described.Manifest);
            if (!editor.Add(described.Entry))
            {
                publisher.Status("Skipped",
                    IndexPublisher.Named(source, described.Entry.Digest) + ": already in the index");
            }
        }

        var index = new ImageIndex
        {
            ArtifactType = artifactType,
            Manifests = [.. editor.Entries],
            Annotations = annotations.Count > 0
                ? new SortedDictionary<string, string>(annotations, StringComparer.Ordinal)
                : null,
        };
        var first = tags.Count > 0 ? tags[0] : null;
        return await publisher.PublishAsync(target.Target, argument, first, [.. tags.Skip(1)], index, "Packed")
            .ConfigureAwait(false);
    }
}
