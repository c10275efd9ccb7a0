using System.Runtime.InteropServices;
using Coffer.Errors;
using Coffer.Cli.Parsing;
using Coffer.Http;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer version</c>.</summary>
internal static class VersionCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "version",
        Summary = "Show the version",
        Usage = "version",
        Examples = ["coffer version"],
        MaxArguments = 0,
        Options = [CommonOptions.Help],
        Run = (context, _) =>
        {
            context.Stdout.WriteLine($"Version:    {UserAgent.Version}");
            context.Stdout.WriteLine($"Runtime:    {RuntimeInformation.FrameworkDescription}");
            context.Stdout.WriteLine($"OS/Arch:    {RuntimeInformation.RuntimeIdentifier}");
            return Task.FromResult(ExitCodes.Success);
        },
    };
}
