using Coffer.Testing;

namespace Coffer.Tests.Integration;

/// <summary>The coffer flags that reach a test registry in each of its modes.</summary>
internal static class RegistryArguments
{
    /// <summary>Transport and credential flags; the password goes on stdin.</summary>
    public static string[] For(RegistryServer registry) => registry.Mode switch
    {
        RegistryMode.NoAuth => ["--plain-http"],
        RegistryMode.Tls => ["--ca-file", registry.CaCertificatePath!, "-u", registry.Username, "--password-stdin"],
        _ => ["--plain-http", "-u", registry.Username, "--password-stdin"],
    };

    /// <summary>What to pipe into stdin for <see cref="For"/>.</summary>
    public static string Stdin(RegistryServer registry) =>
        registry.Mode == RegistryMode.NoAuth ? "" : registry.Password + "\n";

    /// <summary>Transport flags only, for commands that use a stored credential.</summary>
    public static string[] Transport(RegistryServer registry) => registry.Mode == RegistryMode.Tls
        ? ["--ca-file", registry.CaCertificatePath!]
        : ["--plain-http"];
}
