using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;
using Coffer.Signing.Verification;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer verify-blob</c>: checks a file (or its digest) against a Sigstore bundle.</summary>
internal static class VerifyBlobCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "verify-blob",
        Summary = "Verify a file or a sha256:<hex> digest against a Sigstore bundle",
        Usage = "verify-blob [flags] <file | sha256:<hex>> --bundle <bundle>",
        Description = "Verification is offline when the bundle carries what it needs. Exit code 3 means the\n" +
            "signature did not verify; the message names the step that failed.",
        Examples =
        [
            "coffer verify-blob state.json --bundle state.json.sigstore.json " +
                "--github-workflow acme/infra/.github/workflows/state.yml@refs/heads/main",
            "coffer verify-blob state.json --bundle state.json.sigstore.json --key cosign.pub",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(SigningSetup.VerifyOptions,
        [
            new("bundle", null, "path", "the bundle to check (required)"),
            CommonOptions.Format,
        ]),
        Hashes = true,
        Run = RunAsync,
    };

    private static Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var json = OutputFormat.IsJson(parsed);
        var bundlePath = parsed.Value("bundle") ?? throw new UsageException("--bundle <path> is required");
        var policy = SigningSetup.Policy(parsed, context);
        var argument = parsed.Arguments[0];
        var file = Path.GetFullPath(argument, context.WorkingDirectory);
        VerificationArtifact artifact;
        if (File.Exists(file))
        {
            artifact = VerificationArtifact.FromFile(file);
        }
        else if (VerificationArtifact.LooksLikeDigest(argument))
        {
            artifact = VerificationArtifact.FromDigest(argument);
        }
        else
        {
            throw new UsageException($"'{argument}' is neither a file nor a sha256:<hex> digest");
        }

        var bundleFile = Path.GetFullPath(bundlePath, context.WorkingDirectory);
        if (!File.Exists(bundleFile))
        {
            throw new UsageException($"--bundle {bundlePath}: no such file");
        }

        var bundle = File.ReadAllBytes(bundleFile);
        var result = SigningSetup.Verifier(parsed, context).Verify(bundle, artifact, policy);
        if (json)
        {
            VerifyBlobDocument.From(artifact, bundleFile, result).WriteTo(context.Stdout);
            return Task.FromResult(ExitCodes.Success);
        }

        context.Stdout.WriteLine("Verified OK");
        SigningSetup.Describe(context.Stdout, result);
        return Task.FromResult(ExitCodes.Success);
    }
}
