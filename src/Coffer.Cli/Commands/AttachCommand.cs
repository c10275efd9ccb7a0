using Coffer.Artifacts;
using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer attach</c>: files as a referrer of a manifest, as <c>oras attach</c> does.</summary>
internal static class AttachCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "attach",
        Summary = "Attach files to an artifact as a referrer (a manifest whose subject is that artifact)",
        Usage = "attach [flags] --artifact-type <type> <registry>/<repository>{:<tag>|@<digest>} [<file>[:<type>]...]",
        Description = "The new manifest is pushed by digest, never tagged, and listed with the referrers API or,\n" +
            "on registries without it, in the referrers tag sha256-<hex> of the subject. For an index,\n" +
            "--platform attaches to the manifest of that platform instead of the index. The manifest is\n" +
            "always image-spec v1.1, as ORAS writes it: v1.0 has no subject field.",
        Examples =
        [
            "coffer attach --artifact-type application/vnd.example.sbom localhost:5000/app/release:v1 sbom.json",
            "coffer attach --artifact-type application/vnd.example.note -a reviewed=yes ghcr.io/acme/app:v1",
            "coffer attach --artifact-type application/vnd.example.sbom --platform linux/arm64 " +
                "localhost:5000/app/multi:v1 sbom.json",
            "coffer attach --oci-layout --artifact-type application/vnd.example.sbom ./layout:v1 sbom.json",
        ],
        MinArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote, RegistrySigning.DistributionSpec,
        [
            new("artifact-type", null, "type", "the referrer's artifact type (required)"),
            new("annotation", 'a', "key=value", "manifest annotation (repeatable)", Repeatable: true),
            new("annotation-file", null, "path", "JSON file of annotations by file title, $manifest or $config"),
            new("concurrency", null, "n", "blobs uploaded at once (default 5)"),
            new("disable-path-validation", null, null, "allow absolute paths and paths outside the working directory"),
            PlatformArguments.Option,
            new(ImageSpecArguments.Option.Long, null, "v1.1", "manifest form; only v1.1 has a subject"),
            CommonOptions.OciLayout,
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
        var argument = TargetArgument.Parse(parsed, parsed.Arguments[0]);
        var artifactType = PackArguments.ArtifactType(parsed.Value("artifact-type"))
            ?? throw new UsageException("--artifact-type is required for attach");
        parsed.Exclusive("annotation", "annotation-file");
        var annotations = PackArguments.Annotations(parsed.Values("annotation"));
        var files = parsed.Arguments.Skip(1).Select(FileReference.Parse).ToList();
        var platform = PlatformArguments.Parse(parsed);
        if (ImageSpecArguments.Parse(parsed) == ImageSpecVersion.V1Dot0)
        {
            throw new UsageException(
                "attach writes a subject, which image-spec v1.0 does not have, so its manifest is always v1.1 " +
                "(as ORAS writes it); drop --image-spec v1.0");
        }

        if (files.Count == 0 && annotations.Count == 0 && !parsed.Has("annotation-file"))
        {
            throw new UsageException("attach needs at least one file or one --annotation");
        }

        var operation = $"attach {argument}";
        using var target = argument.Open(session, write: true);
        var subject = await RegistrySigning.ResolveAsync(target, operation, context.Cancellation)
            .ConfigureAwait(false);
        if (platform is not null)
        {
            // The referrer goes to the platform's own manifest, not to the index that lists it.
            subject = (await PlatformArguments.FetchAsync(session, target.Target, subject.Digest, platform,
                operation).ConfigureAwait(false)).ToDescriptor();
        }

        var request = new PushRequest
        {
            Files = files,
            ArtifactType = artifactType,
            Annotations = annotations,
            FileAnnotations = PackArguments.AnnotationFile(parsed.Value("annotation-file"), context),
            WorkingDirectory = context.WorkingDirectory,
            DisablePathValidation = parsed.Flag("disable-path-validation"),
            Created = ManifestFactory.SourceDateEpoch(context.Environment("SOURCE_DATE_EPOCH")),
            Concurrency = parsed.Int("concurrency", 5, 1, 64),
            Subject = subject,
            ReferrersMode = RegistrySigning.Mode(parsed),
        };
        using var status = new StatusPrinter(context.Stdout, context.Stderr, progress,
            push: true, TimeSpan.FromSeconds(5));
        var result = await new ArtifactPusher(target.Target, status).PushAsync(request, [], context.Cancellation)
            .ConfigureAwait(false);
        status.Dispose();

        if (session.Json)
        {
            AttachDocument.From(argument, subject, result).WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine($"Attached to {argument.Kind} {argument.WithDigest(subject.ParsedDigest())}");
        context.Stdout.WriteLine($"Digest: {result.Manifest.Digest}");
        return ExitCodes.Success;
    }
}
