using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer discover</c>: the referrers of an artifact, and theirs, as a tree, a table or JSON. A
/// visited set ends cycles in the referrer graph, and depth and count are capped.
/// </summary>
internal static class DiscoverCommand
{
    private const int MaxNodes = 1000;

    public static CommandSpec Spec { get; } = new()
    {
        Name = "discover",
        Summary = "List the referrers of an artifact (signatures, SBOMs, attachments)",
        Usage = "discover [flags] <registry>/<repository>{:<tag>|@<digest>}",
        Examples =
        [
            "coffer discover localhost:5000/app/release:v1",
            "coffer discover --artifact-type application/vnd.dev.sigstore.bundle.v0.3+json " +
                "--format json ghcr.io/acme/app:v1",
            "coffer discover --oci-layout ./layout:v1",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote, RegistrySigning.DistributionSpec,
        [
            new("artifact-type", null, "type", "list only referrers of this artifact type"),
            new("depth", null, "n", "how many levels of referrers to walk (default 5)"),
            new("format", null, "tree|table|json", "output format (default tree)"),
            PlatformArguments.Option,
            CommonOptions.OciLayout,
        ]),
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var format = parsed.Value("format") ?? "tree";
        if (format is not ("tree" or "table" or "json"))
        {
            throw new UsageException($"--format must be tree, table or json, not '{format}'");
        }

        var session = new Session(context, Without(parsed));
        var argument = TargetArgument.Parse(parsed, parsed.Arguments[0]);
        var depth = parsed.Int("depth", 5, 1, 20);
        var artifactType = parsed.Value("artifact-type");
        var operation = $"discover {argument}";
        using var target = argument.Open(session, write: false);
        var subject = await RegistrySigning.ResolveAsync(target, operation, context.Cancellation)
            .ConfigureAwait(false);
        if (PlatformArguments.Parse(parsed) is { } platform)
        {
            // The referrers of the platform's own manifest, not of the index that lists it.
            subject = (await PlatformArguments.FetchAsync(session, target.Target, subject.Digest, platform,
                operation).ConfigureAwait(false)).ToDescriptor();
        }

        var referrers = new Referrers(target.Target, RegistrySigning.Mode(parsed));
        var visited = new HashSet<string>(StringComparer.Ordinal) { subject.Digest };
        var root = new Node(subject, await WalkAsync(referrers, subject, artifactType, depth, visited,
            context.Cancellation).ConfigureAwait(false));

        var pinned = argument.WithDigest(subject.ParsedDigest());
        switch (format)
        {
            case "json":
                DiscoverDocument.From(argument, subject, Json(argument, root.Children)).WriteTo(context.Stdout);
                break;
            case "table":
                context.Stdout.WriteLine($"{"Digest",-71}  {"Artifact type"}");
                foreach (var node in Flatten(root.Children))
                {
                    var type = Printable.Text(node.Descriptor.ArtifactType);
                    context.Stdout.WriteLine($"{Printable.Text(node.Descriptor.Digest),-71}  {type}");
                }

                break;
            default:
                context.Stdout.WriteLine(pinned);
                WriteTree(context.Stdout, root.Children, "");
                break;
        }

        return ExitCodes.Success;
    }

    private static async Task<List<Node>> WalkAsync(
        Referrers referrers, Descriptor subject, string? artifactType, int depth, HashSet<string> visited,
        CancellationToken cancellationToken)
    {
        var children = new List<Node>();
        if (depth == 0)
        {
            return children;
        }

        var listed = await referrers.ListAsync(subject.ParsedDigest(), artifactType, cancellationToken)
            .ConfigureAwait(false);
        foreach (var referrer in listed)
        {
            // A referrer seen before closes a cycle (or is shared); it is shown once.
            if (visited.Count >= MaxNodes || !visited.Add(referrer.Digest))
            {
                continue;
            }

            var grandchildren = await WalkAsync(
                    referrers, referrer, artifactType, depth - 1, visited, cancellationToken)
                .ConfigureAwait(false);
            children.Add(new Node(referrer, grandchildren));
        }

        return children;
    }

    private static void WriteTree(TextWriter output, IReadOnlyList<Node> nodes, string indent)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            var last = i == nodes.Count - 1;
            var node = nodes[i];
            output.WriteLine(
                $"{indent}{(last ? "└── " : "├── ")}" +
                $"{Printable.Text(node.Descriptor.ArtifactType ?? node.Descriptor.MediaType)}");
            output.WriteLine($"{indent}{(last ? "    " : "│   ")}└── {Printable.Text(node.Descriptor.Digest)}");
            WriteTree(output, node.Children, indent + (last ? "    " : "│   "));
        }
    }

    private static IEnumerable<Node> Flatten(IEnumerable<Node> nodes) =>
        nodes.SelectMany(n => new[] { n }.Concat(Flatten(n.Children)));

    private static List<ReferrerJson> Json(TargetArgument reference, IEnumerable<Node> nodes) =>
        [.. nodes.Select(n => DiscoverDocument.Referrer(reference, n.Descriptor, Json(reference, n.Children)))];

    // The session reads --format as text|json; discover has its own formats.
    private static ParsedCommand Without(ParsedCommand parsed) => parsed.WithoutValue("format");

    private sealed record Node(Descriptor Descriptor, IReadOnlyList<Node> Children);
}
