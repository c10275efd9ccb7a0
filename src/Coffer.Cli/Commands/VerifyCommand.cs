using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer verify</c>: checks that an artifact in the registry carries a signature the policy accepts.
/// </summary>
internal static class VerifyCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "verify",
        Summary = "Verify the Sigstore signature of an artifact in a registry or layout",
        Usage = "verify [flags] <registry>/<repository>{:<tag>|@<digest>}",
        Description = "Resolves the manifest digest, finds the signature referrers and requires one bundle that\n" +
            "signs exactly that digest under the policy. Exit code 3 means no signature verified.",
        Examples =
        [
            "coffer verify ghcr.io/acme/infra/state:latest " +
                "--github-workflow acme/infra/.github/workflows/state.yml@refs/heads/main",
            "coffer verify --key cosign.pub localhost:5000/app/release:v1",
            "coffer verify --oci-layout --key cosign.pub ./layout:v1",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(
            CommonOptions.Remote, SigningSetup.VerifyOptions, RegistrySigning.DistributionSpec,
            [CommonOptions.Format, CommonOptions.OciLayout]),
        Hashes = true,
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var argument = TargetArgument.Parse(parsed, parsed.Arguments[0]);
        var operation = $"verify {argument}";
        SigningSetup.Policy(parsed, context);
        using var target = argument.Open(session, write: false);
        var subject = await RegistrySigning.ResolveAsync(target, operation, context.Cancellation)
            .ConfigureAwait(false);
        var check = await RegistrySigning.VerifyAsync(session, parsed, target.Target, subject, operation)
            .ConfigureAwait(false);
        if (session.Json)
        {
            VerifyDocument.From(argument, check).WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine($"Verified {argument.Kind} {argument.WithDigest(subject.ParsedDigest())}");
        SigningSetup.Describe(context.Stdout, check.Result);
        return ExitCodes.Success;
    }
}
