using Coffer.Artifacts;
using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer pull</c>: an artifact's files into a folder, verified before they appear.</summary>
internal static class PullCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "pull",
        Summary = "Pull an artifact's files from a registry",
        Usage = "pull [flags] <registry>/<repository>{:<tag>|@<digest>}",
        Description =
            "Every layer with a title is written under the output folder. Each file is streamed to a\n" +
            "temporary name beside its destination and renamed only after its size and digest are\n" +
            "verified, so a failed pull leaves no partial file. A directory layer (ORAS's unpack\n" +
            "annotation) is verified, unpacked into a staging folder, checked against its tar digest and\n" +
            "only then moved into place; entries that would leave the folder are refused. An index has\n" +
            "the files of every manifest it lists pulled, or with --platform only those of that platform.",
        Examples =
        [
            "echo \"$GITHUB_TOKEN\" | coffer pull -u ci --password-stdin ghcr.io/owner/repo/state:latest -o .",
            "coffer pull localhost:5000/app/release@sha256:<digest> -o ./release",
            "coffer pull --platform linux/arm64 localhost:5000/app/tools:v1 -o ./bin",
            "coffer pull --oci-layout ./layout.tar:v1 -o ./release",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote,
        [
            new("output", 'o', "dir", "folder to write files into (default .)"),
            new("keep-old-files", 'k', null, "fail rather than replace files that exist"),
            new("allow-path-traversal", 'T', null, "DANGEROUS: write titles that leave the output folder"),
            new("concurrency", null, "n", "blobs downloaded at once (default 3)"),
            new("preserve-permissions", null, null, "give unpacked files and folders their stored modes"),
            new("max-extract-size", null, "bytes", "most bytes one directory unpacks to, e.g. 20G (default 8G)"),
            new("max-extract-entries", null, "n", "most entries in one directory (default 100000)"),
            new("verify", null, null, "require a Sigstore signature the policy accepts before writing any file"),
            PlatformArguments.Option,
            CommonOptions.OciLayout,
            CommonOptions.Format,
            CommonOptions.Progress,
        ], SigningSetup.VerifyOptions, RegistrySigning.DistributionSpec),
        Hashes = true,
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var progress = CommonOptions.ResolveProgress(parsed, session.Json, context.StderrIsTerminal);
        var argument = TargetArgument.Parse(parsed, parsed.Arguments[0]);
        var manifestReference = argument.RequireManifestReference();

        var platform = PlatformArguments.Parse(parsed);
        var allowTraversal = parsed.Flag("allow-path-traversal");
        if (allowTraversal)
        {
            session.Warn("--allow-path-traversal: layer titles may write anywhere this user can write");
        }

        var verify = parsed.Flag("verify");
        if (verify)
        {
            SigningSetup.Policy(parsed, context);
        }
        else if (SigningSetup.AnyVerifyOption(parsed))
        {
            throw new UsageException("verification flags were given without --verify; add --verify, or drop them");
        }

        using var target = argument.Open(session, write: false);
        Signing.Oci.SignatureCheck? check = null;
        if (verify)
        {
            // The signature is checked on the digest, and then exactly that digest is pulled.
            var operation = $"pull {argument}";
            var subject = await RegistrySigning.ResolveAsync(target, operation, context.Cancellation)
                .ConfigureAwait(false);
            check = await RegistrySigning.VerifyAsync(session, parsed, target.Target, subject, operation)
                .ConfigureAwait(false);
            if (!session.Json)
            {
                context.Stdout.WriteLine($"Verified signature of {subject.Digest}");
                SigningSetup.Describe(context.Stdout, check.Result);
            }
        }

        var request = new PullRequest
        {
            Reference = manifestReference,
            PinnedDigest = check is null ? null : Digest.Parse(check.Subject.Digest),
            OutputDirectory = Path.GetFullPath(parsed.Value("output") ?? ".", context.WorkingDirectory),
            KeepOldFiles = parsed.Flag("keep-old-files"),
            AllowPathTraversal = allowTraversal,
            Concurrency = parsed.Int("concurrency", 3, 1, 64),
            PreservePermissions = parsed.Flag("preserve-permissions"),
            MaxExtractSize = Size(parsed.Value("max-extract-size")),
            MaxExtractEntries = parsed.Int("max-extract-entries", 100_000, 1, int.MaxValue),
            Platform = platform,
        };

        using var status = new StatusPrinter(context.Stdout, context.Stderr, progress,
            push: false, TimeSpan.FromSeconds(5));
        var result = await new ArtifactPuller(target.Target, status)
            .PullAsync(request, context.Cancellation).ConfigureAwait(false);
        status.Dispose();
        if (platform is not null)
        {
            PlatformArguments.WarnIfUnchecked(session, platform, result.Platform, result.Manifest.Digest);
        }

        if (session.Json)
        {
            PullDocument.From(argument, result, check).WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        if (result.Files.Count == 0)
        {
            session.Warn("the artifact has no layer with a title, so no file was written");
        }

        context.Stdout.WriteLine($"Pulled {argument.Kind} {argument}");
        context.Stdout.WriteLine($"Digest: {result.Manifest.Digest}");

        return ExitCodes.Success;
    }

    // A byte count with an optional binary suffix: 512, 64K, 100M, 8G, 1T.
    private static long Size(string? text)
    {
        if (text is null)
        {
            return 8L << 30;
        }

        var shift = text.Length > 0 ? char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 10,
            'M' => 20,
            'G' => 30,
            'T' => 40,
            _ => 0,
        } : 0;
        var digits = shift > 0 ? text[..^1] : text;
        if (!long.TryParse(digits, System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var value)
            || value < 1 || value > long.MaxValue >> shift)
        {
            throw new UsageException(
                $"--max-extract-size '{text}' is not a size; give bytes, optionally with K, M, G or T (e.g. 20G)");
        }

        return value << shift;
    }
}
