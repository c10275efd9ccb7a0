using Coffer.Artifacts;
using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;
using Coffer.Registry;
using Coffer.Targets;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer copy</c> (<c>cp</c>): an artifact from one registry or layout to another, as
/// <c>oras cp</c> copies it. Each side has its own remote flags, and its credential goes only to
/// its own registry.
/// </summary>
internal static class CopyCommand
{
    private const string From = "from-";
    private const string To = "to-";

    public static CommandSpec Spec { get; } = new()
    {
        Name = "copy",
        Aliases = ["cp"],
        Summary = "Copy an artifact between registries and OCI layouts",
        Usage = "copy [flags] <from>{:<tag>|@<digest>} <to>[:<tag>[,<tag>...]]",
        Description =
            "Copies the manifest and everything it names (an index's manifests, their config and layers),\n" +
            "skipping blobs the destination has; blobs stream through and are checked against their\n" +
            "digests on the way. Between two repositories of one registry, blobs are mounted when the\n" +
            "registry agrees. Without tags in <to>, the copy gets the source's tag (or only its digest).\n" +
            "-r copies the referrers too (signatures, SBOMs, attachments) and theirs. Each side takes the\n" +
            "remote flags with a --from- or --to- prefix; only one side may read its secret from stdin.",
        Examples =
        [
            "coffer cp localhost:5000/app/release:v1 localhost:5000/mirror/release:v1,latest",
            "echo \"$TOKEN\" | coffer copy -r --to-username ci --to-password-stdin " +
                "localhost:5000/app/release:v1 ghcr.io/acme/release:v1",
            "coffer cp --to-oci-layout localhost:5000/app/release:v1 ./backup:v1",
            "coffer cp --from-oci-layout --to-plain-http ./backup.tar:v1 127.0.0.1:5000/app/release",
        ],
        MinArguments = 2,
        MaxArguments = 2,
        Options = CommonOptions.With(
            CommonOptions.RemoteFor(From, "source"),
            CommonOptions.RemoteFor(To, "destination"),
            [
                new("from-oci-layout", null, null, "the source is an OCI image layout: <dir-or-tar>{:<tag>|@<digest>}"),
                new("to-oci-layout", null, null, "the destination is an OCI image layout folder: <dir>[:<tag>,...]"),
                new("from-distribution-spec", null, "v1.1-referrers-api|v1.1-referrers-tag",
                    "how the source's referrers are found (default: detect)"),
                new("to-distribution-spec", null, "v1.1-referrers-api|v1.1-referrers-tag",
                    "how referrers are recorded at the destination (default: detect)"),
                new("recursive", 'r', null, "copy the referrers too (signatures, SBOMs), and theirs"),
                new("concurrency", null, "n", "blobs copied at once (default 3)"),
                PlatformArguments.Option,
                CommonOptions.Format,
                CommonOptions.Progress,
            ]),
        Hashes = true,
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var progress = CommonOptions.ResolveProgress(parsed, session.Json, context.StderrIsTerminal);
        var source = TargetArgument.Parse(parsed, parsed.Arguments[0], tagList: false, prefix: From);
        var destination = TargetArgument.Parse(parsed, parsed.Arguments[1], tagList: true, prefix: To);
        var reference = source.RequireManifestReference();
        if (destination.Digest is not null)
        {
            throw new UsageException(
                $"'{parsed.Arguments[1]}' names a digest; the copy keeps the source's digest, so give tags or none");
        }

        // Decided before either side reads anything: stdin holds at most one secret.
        if (ReadsStdin(parsed, From) && ReadsStdin(parsed, To))
        {
            throw new UsageException(
                "only one side can read its secret from stdin; give the other side's credential with " +
                $"--{From}registry-config or --{To}registry-config (or coffer login)");
        }

        var request = new CopyRequest
        {
            Reference = reference,
            Tags = destination.Tags,
            Recursive = parsed.Flag("recursive"),
            Concurrency = parsed.Int("concurrency", 3, 1, 64),
            Platform = PlatformArguments.Parse(parsed),
            SourceReferrersMode = Mode(parsed, From),
            DestinationReferrersMode = Mode(parsed, To),
        };

        using var from = source.Open(session, write: false);
        using var to = destination.Open(session, write: true);
        using var status = StatusPrinter.ForCopy(context.Stdout, context.Stderr, progress, TimeSpan.FromSeconds(5));
        CopyResult result;
        try
        {
            result = await new ArtifactCopier(from.Target, to.Target, status)
                .CopyAsync(request, context.Cancellation).ConfigureAwait(false);
        }
        catch when (to.Target is OciLayout layout)
        {
            await RollBackAsync(session, layout).ConfigureAwait(false);
            throw;
        }

        status.Dispose();

        var digest = result.Manifest.ParsedDigest();
        var copied = result.Tags.Count > 0 ? destination.WithTag(result.Tags[0]) : destination.WithDigest(digest);
        if (session.Json)
        {
            CopyDocument.From(source.With(reference), destination, result).WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine(
            $"Copied {source.Kind} {source.With(reference)} => {destination.Kind} {copied}");
        foreach (var tag in result.Tags.Skip(1))
        {
            context.Stdout.WriteLine($"Tagged {tag}");
        }

        context.Stdout.WriteLine($"Digest: {digest}");
        return ExitCodes.Success;
    }

    // A failed copy into a layout leaves it as it was: one the copy made is removed, and one that was
    // there lists nothing new (the blobs written stay; they are content-addressed). Whatever stops
    // that is only a warning, as the copy's own failure is what the user must see.
    private static async Task RollBackAsync(Session session, OciLayout layout)
    {
        try
        {
            await layout.RollBackAsync($"undo the failed copy to {layout.Name}").ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CofferException)
        {
            session.Warn($"could not undo what the failed copy wrote into {layout.Name}: {e.Message}");
        }
    }

    private static bool ReadsStdin(ParsedCommand parsed, string prefix) =>
        parsed.Flag(prefix + "password-stdin") || parsed.Flag(prefix + "identity-token-stdin");

    private static ReferrersMode Mode(ParsedCommand parsed, string prefix) =>
        parsed.Value(prefix + "distribution-spec") switch
        {
            null => ReferrersMode.Auto,
            "v1.1-referrers-api" => ReferrersMode.Api,
            "v1.1-referrers-tag" => ReferrersMode.TagSchema,
            var other => throw new UsageException(
                $"--{prefix}distribution-spec must be v1.1-referrers-api or v1.1-referrers-tag, not '{other}'"),
        };
}
