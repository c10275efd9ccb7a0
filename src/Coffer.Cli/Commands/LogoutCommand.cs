using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer logout</c>: removes a stored credential, keeping the rest of the config.</summary>
internal static class LogoutCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "logout",
        Summary = "Remove the stored credential for a registry",
        Usage = "logout [flags] <registry>",
        Examples = ["coffer logout ghcr.io"],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(
            CommonOptions.Remote.Where(o => o.Long == "registry-config"), [CommonOptions.Format]),
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var json = OutputFormat.IsJson(parsed);
        var registry = LoginCommand.Registry(parsed.Arguments[0]);
        var path = CredentialStores.ConfigPath(parsed.Value("registry-config"), context);
        var removed = await CredentialStores.Open(parsed.Value("registry-config"), context)
            .EraseAsync(registry, context.Cancellation).ConfigureAwait(false);
        if (json)
        {
            new LogoutDocument { Registry = registry, Removed = removed, Config = path }.WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine(removed
            ? $"Removed the credential for {registry} (config {path})"
            : $"No credential for {registry} was stored (config {path})");
        return ExitCodes.Success;
    }
}
