using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;
using Coffer.Signing.Bundles;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer sign-blob</c>: a Sigstore bundle for a file, as <c>cosign sign-blob --bundle</c> writes.
/// </summary>
internal static class SignBlobCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "sign-blob",
        Summary = "Sign a file and write a Sigstore bundle (keyless, or with --key)",
        Usage = "sign-blob [flags] <file> --bundle <out>",
        Description = "Keyless signing takes the identity token from --identity-token, SIGSTORE_ID_TOKEN, or the\n" +
            "GitHub Actions token service (the workflow needs permissions: id-token: write).",
        Examples =
        [
            "coffer sign-blob release.tar.gz --bundle release.tar.gz.sigstore.json",
            "COSIGN_PASSWORD=... coffer sign-blob --key cosign.key state.json --bundle state.json.sigstore.json",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(SigningSetup.SignOptions("identity-token"),
        [
            new("bundle", null, "path", "where to write the bundle (required)"),
            CommonOptions.Format,
        ]),
        Hashes = true,
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var output = parsed.Value("bundle") ?? throw new UsageException("--bundle <path> is required");
        var file = Path.GetFullPath(parsed.Arguments[0], context.WorkingDirectory);
        if (!File.Exists(file))
        {
            throw new UsageException($"file '{parsed.Arguments[0]}' does not exist");
        }

        using var signer = await SigningSetup.SignerAsync(parsed, session, "identity-token", context.Cancellation)
            .ConfigureAwait(false);
        var bundle = await signer.SignFileAsync(file, context.Cancellation).ConfigureAwait(false);
        var target = Path.GetFullPath(output, context.WorkingDirectory);
        await File.WriteAllBytesAsync(target, BundleSerializer.SerializeToUtf8Bytes(bundle), context.Cancellation)
            .ConfigureAwait(false);
        if (session.Json)
        {
            SignBlobDocument.From(file, target, bundle).WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine($"Wrote bundle to {target}");
        return ExitCodes.Success;
    }
}
