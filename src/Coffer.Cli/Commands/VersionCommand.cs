using System.Runtime.InteropServices;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;
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
        Options = [CommonOptions.Format, CommonOptions.Help],
        Run = (context, parsed) =>
        {
            if (OutputFormat.IsJson(parsed))
            {
                new VersionDocument
                {
                    Version = UserAgent.Version,
                    Runtime = RuntimeInformation.FrameworkDescription,
                    OsArch = RuntimeInformation.RuntimeIdentifier,
                }.WriteTo(context.Stdout);
                return Task.FromResult(ExitCodes.Success);
            }

            context.Stdout.WriteLine($"Version:    {UserAgent.Version}");
            context.Stdout.WriteLine($"Runtime:    {RuntimeInformation.FrameworkDescription}");
            context.Stdout.WriteLine($"OS/Arch:    {RuntimeInformation.RuntimeIdentifier}");
            return Task.FromResult(ExitCodes.Success);
        },
    };
}
