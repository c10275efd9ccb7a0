using Coffer.Artifacts;
using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer push</c>: files to an artifact, as <c>oras push</c> does.</summary>
internal static class PushCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "push",
        Summary = "Push files to a registry as an OCI artifact",
        Usage = "push [flags] <registry>/<repository>[:<tag>[,<tag>...]] <file>[:<media-type>]...",
        Description =
            "Each file becomes one layer titled with its name. A folder becomes one tar+gzip layer that\n" +
            "pull unpacks (sorted entries, uid/gid 0, modes kept without setuid/setgid, links kept as\n" +
            "links). The manifest is an OCI image manifest with an artifactType and the empty config,\n" +
            "as ORAS builds it. SOURCE_DATE_EPOCH fixes the created annotation and the times inside a\n" +
            "folder's tar, so the same tree gives the same digest; --reproducible does the same with\n" +
            "1970-01-01 when SOURCE_DATE_EPOCH is unset. --image-spec v1.0 writes no artifactType: the\n" +
            "config ({} or --config) has the artifact type as its media type, for registries that refuse\n" +
            "the 1.1 fields. --config without --artifact-type means v1.0, as in ORAS.",
        Examples =
        [
            "echo \"$GITHUB_TOKEN\" | coffer push -u ci --password-stdin ghcr.io/owner/repo/state:latest state.json",
            "coffer push localhost:5000/app/release:v1,latest app.tar.gz:application/gzip -a team=build",
            "coffer push --reproducible localhost:5000/app/site:v1 public/",
            "coffer push --image-spec v1.0 --artifact-type application/vnd.acme.config.v1+json " +
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1 app.tar.gz",
            "coffer push --oci-layout ./layout:v1 state.json",
        ],
        MinArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote,
        [
            new("artifact-type", null, "type", $"artifact type (default {MediaTypes.UnknownArtifact})"),
            new("config", null, "path[:type]", $"the config file (default type {MediaTypes.UnknownConfig})"),
            ImageSpecArguments.Option,
            new("annotation", 'a', "key=value", "manifest annotation (repeatable)", Repeatable: true),
            new("annotation-file", null, "path", "JSON file of annotations by file title, $manifest or $config"),
            new("export-manifest", null, "path", "also write the pushed manifest to this file"),
            new("concurrency", null, "n", "blobs uploaded at once (default 5)"),
            new("disable-path-validation", null, null, "allow absolute paths and paths outside the working directory"),
            new("reproducible", null, null, "fix every time to 1970-01-01 when SOURCE_DATE_EPOCH is unset"),
            new("sign", null, null, "sign the pushed manifest (keyless, or with --key) and attach the bundle"),
            CommonOptions.OciLayout,
            CommonOptions.Format,
            CommonOptions.Progress,
        ], SigningSetup.SignOptions(RegistrySigning.TokenFlag), RegistrySigning.DistributionSpec),
        Hashes = true,
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var progress = CommonOptions.ResolveProgress(parsed, session.Json, context.StderrIsTerminal);
        var argument = TargetArgument.Parse(parsed, parsed.Arguments[0], tagList: true);
        var tags = argument.Tags;
        if (argument.Digest is not null)
        {
            throw new UsageException(
                $"'{parsed.Arguments[0]}' names a digest; a push makes its own digest, so give a tag or none");
        }
        parsed.Exclusive("annotation", "annotation-file");
        var request = new PushRequest
        {
            Files = [.. parsed.Arguments.Skip(1).Select(FileReference.Parse)],
            ArtifactType = PackArguments.ArtifactType(parsed.Value("artifact-type")),
            Annotations = PackArguments.Annotations(parsed.Values("annotation")),
            FileAnnotations = PackArguments.AnnotationFile(parsed.Value("annotation-file"), context),
            WorkingDirectory = context.WorkingDirectory,
            DisablePathValidation = parsed.Flag("disable-path-validation"),
            Created = ManifestFactory.SourceDateEpoch(context.Environment("SOURCE_DATE_EPOCH"))
                ?? (parsed.Flag("reproducible") ? DateTimeOffset.UnixEpoch : null),
            Concurrency = parsed.Int("concurrency", 5, 1, 64),
            ImageSpec = ImageSpecArguments.Parse(parsed),
            Config = parsed.Value("config") is { } config ? FileReference.Parse(config) : null,
        };
        ManifestFactory.ImageSpecOf(request);
        var export = parsed.Value("export-manifest") is { } exportPath
            ? ExportTarget(Path.GetFullPath(exportPath, context.WorkingDirectory))
            : null;

        var sign = parsed.Flag("sign");
        if (!sign && SigningSetup.AnySignOption(parsed, RegistrySigning.TokenFlag))
        {
            throw new UsageException("signing flags were given without --sign; add --sign, or drop them");
        }

        // The signer is set up before anything is pushed, so a wrong password or a missing key
        // fails the push before the tag moves.
        using var signer = sign
            ? await SigningSetup.SignerAsync(parsed, session, RegistrySigning.TokenFlag, context.Cancellation)
                .ConfigureAwait(false)
            : null;
        // The export file is created before anything is pushed, so a folder that cannot be written
        // fails the push before the tag moves, not after.
        using var exportFile = export is null ? null : OpenExport(export);
        using var target = argument.Open(session, write: true);
        using var status = new StatusPrinter(context.Stdout, context.Stderr, progress,
            push: true, TimeSpan.FromSeconds(5));

        // A signed push goes up by digest; the tags follow only once the signature is attached.
        var result = await new ArtifactPusher(target.Target, status)
            .PushAsync(request, sign ? [] : tags, context.Cancellation).ConfigureAwait(false);
        status.Dispose();

        Descriptor? signature = null;
        if (signer is not null)
        {
            signature = await RegistrySigning.SignAsync(signer, parsed, target.Target, result.Manifest,
                $"sign {argument}", context.Cancellation).ConfigureAwait(false);
            foreach (var tag in tags)
            {
                await target.Target.PushManifestAsync(tag, result.ManifestBytes, result.Manifest.MediaType,
                    $"tag {argument.WithTag(tag)}", context.Cancellation).ConfigureAwait(false);
            }
        }

        if (exportFile is not null)
        {
            await exportFile.WriteAsync(result.ManifestBytes, context.Cancellation).ConfigureAwait(false);
            exportFile.Complete();
        }

        var pinned = argument.WithDigest(Digest.Parse(result.Manifest.Digest));
        if (session.Json)
        {
            PushDocument.From(argument, result, tags, signature).WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine($"Pushed {argument.Kind} {(tags.Count > 0 ? argument.WithTag(tags[0]) : pinned)}");
        foreach (var tag in tags.Skip(1))
        {
            context.Stdout.WriteLine($"Tagged {tag}");
        }

        context.Stdout.WriteLine($"ArtifactType: {result.ArtifactType}");
        context.Stdout.WriteLine($"Digest: {result.Manifest.Digest}");
        if (signature is not null)
        {
            context.Stdout.WriteLine($"Signature: {signature.Digest}");
        }
        return ExitCodes.Success;
    }

    // Checked before anything is pushed, so a bad path cannot turn a finished push into a failure.
    private static string ExportTarget(string path)
    {
        if (Directory.Exists(path))
        {
            throw new UsageException($"--export-manifest {path} is a folder; name a file");
        }

        var folder = Path.GetDirectoryName(path);
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new UsageException($"--export-manifest {path}: the folder {folder} does not exist");
        }

        return path;
    }

    private static ExportFile OpenExport(string path)
    {
        try
        {
            return ExportFile.Create(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CofferException(
                $"--export-manifest {path}: cannot write there: {e.Message}",
                "name a file in a folder you can write, or drop --export-manifest; nothing was pushed");
        }
    }
}
