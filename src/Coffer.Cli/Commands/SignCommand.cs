using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer sign</c>: signs an artifact already in the registry, as cosign v3 does.</summary>
internal static class SignCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "sign",
        Summary = "Sign an artifact in a registry or layout and attach the Sigstore bundle as a referrer",
        Usage = "sign [flags] <registry>/<repository>{:<tag>|@<digest>}",
        Description = "The signature covers the manifest digest. Keyless signing takes the identity token from\n" +
            "--oidc-identity-token, SIGSTORE_ID_TOKEN or the GitHub Actions token service.",
        Examples =
        [
            "coffer sign ghcr.io/acme/infra/state:latest",
            "COSIGN_PASSWORD=... coffer sign --key cosign.key localhost:5000/app/release:v1",
            "COSIGN_PASSWORD=... coffer sign --oci-layout --key cosign.key ./layout:v1",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote, SigningSetup.SignOptions(RegistrySigning.TokenFlag),
            RegistrySigning.DistributionSpec, [CommonOptions.Format, CommonOptions.OciLayout]),
        Hashes = true,
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var argument = TargetArgument.Parse(parsed, parsed.Arguments[0]);
        var operation = $"sign {argument}";
        using var target = argument.Open(session, write: true);
        var subject = await RegistrySigning.ResolveAsync(target, operation, context.Cancellation)
            .ConfigureAwait(false);
        var signature = await RegistrySigning.SignAsync(session, parsed, target.Target, subject, operation)
            .ConfigureAwait(false);
        if (session.Json)
        {
            SignDocument.From(argument, subject, signature).WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine($"Signed {argument.Kind} {argument.WithDigest(subject.ParsedDigest())}");
        context.Stdout.WriteLine($"Signature: {signature.Digest}");
        return ExitCodes.Success;
    }
}
