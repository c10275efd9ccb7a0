using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;
using Coffer.Registry;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer verify</c>: checks that an artifact in the registry carries a signature the policy accepts.
/// </summary>
internal static class VerifyCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "verify",
        Summary = "Verify the Sigstore signature of an artifact in a registry",
        Usage = "verify [flags] <registry>/<repository>{:<tag>|@<digest>}",
        Description = "Resolves the manifest digest, finds the signature referrers and requires one bundle that\n" +
            "signs exactly that digest under the policy. Exit code 3 means no signature verified.",
        Examples =
        [
            "coffer verify ghcr.io/acme/infra/state:latest " +
                "--github-workflow acme/infra/.github/workflows/state.yml@refs/heads/main",
            "coffer verify --key cosign.pub localhost:5000/app/release:v1",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(
            CommonOptions.Remote, SigningSetup.VerifyOptions, RegistrySigning.DistributionSpec, [CommonOptions.Format]),
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var reference = ReferenceArguments.Parse(parsed.Arguments[0]);
        var operation = $"verify {reference}";
        SigningSetup.Policy(parsed, context);
        using var client = new RegistryClient(reference, session.ClientOptions(), write: false);
        var subject = await RegistrySigning.ResolveAsync(client.Repository!, operation, context.Cancellation)
            .ConfigureAwait(false);
        var check = await RegistrySigning.VerifyAsync(session, parsed, client.Repository!, subject, operation)
            .ConfigureAwait(false);
        if (session.Json)
        {
            VerifyDocument.From(reference, check).WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine($"Verified [registry] {reference.Registry}/{reference.Repository}@{subject.Digest}");
        SigningSetup.Describe(context.Stdout, check.Result);
        return ExitCodes.Success;
    }
}
