using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;
using Coffer.Registry;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer sign</c>: signs an artifact already in the registry, as cosign v3 does.</summary>
internal static class SignCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "sign",
        Summary = "Sign an artifact in a registry and attach the Sigstore bundle as a referrer",
        Usage = "sign [flags] <registry>/<repository>{:<tag>|@<digest>}",
        Description = "The signature covers the manifest digest. Keyless signing takes the identity token from\n" +
            "--oidc-identity-token, SIGSTORE_ID_TOKEN or the GitHub Actions token service.",
        Examples =
        [
            "coffer sign ghcr.io/acme/infra/state:latest",
            "COSIGN_PASSWORD=... coffer sign --key cosign.key localhost:5000/app/release:v1",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote, SigningSetup.SignOptions(RegistrySigning.TokenFlag),
            RegistrySigning.DistributionSpec, [CommonOptions.Format]),
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var reference = ReferenceArguments.Parse(parsed.Arguments[0]);
        var operation = $"sign {reference}";
        using var client = new RegistryClient(reference, session.ClientOptions(), write: true);
        var subject = await RegistrySigning.ResolveAsync(client.Repository!, operation, context.Cancellation)
            .ConfigureAwait(false);
        var signature = await RegistrySigning.SignAsync(session, parsed, client.Repository!, subject, operation)
            .ConfigureAwait(false);
        if (session.Json)
        {
            SignDocument.From(reference, subject, signature).WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine($"Signed [registry] {reference.Registry}/{reference.Repository}@{subject.Digest}");
        context.Stdout.WriteLine($"Signature: {signature.Digest}");
        return ExitCodes.Success;
    }
}
