using Coffer.Credentials;

namespace Coffer.Cli.Hosting;

/// <summary>Opens the Docker-config credential store a command should use.</summary>
internal static class CredentialStores
{
    public static string ConfigPath(string? explicitPath, CliContext context) =>
        new DockerConfigLocator(context.Environment, context.HomeDirectory)
            .Resolve(explicitPath is null ? null : Path.GetFullPath(explicitPath, context.WorkingDirectory));

    public static DockerConfigStore Open(string? explicitPath, CliContext context) =>
        new(
            ConfigPath(explicitPath, context),
            new CredentialHelperOptions { SearchPath = context.Environment("PATH") });
}
