using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Credentials;
using Coffer.Errors;
using Coffer.Registry.Auth;
using Coffer.Registry;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer login</c>: checks a credential against the registry, then stores it, saying where.
/// In CI it refuses to write a secret in plain text unless told to, because every later step
/// of the job can read the config file.
/// </summary>
internal static class LoginCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "login",
        Summary = "Check and store a credential for a registry",
        Usage = "login [flags] <registry>",
        Description =
            "The credential is checked against the registry (GET /v2/ and, with token auth, a token)\n" +
            "before it is stored: through the credential helper the config file names, or else in the\n" +
            "config file itself, in plain text. With CI or GITHUB_ACTIONS set, plain text is refused\n" +
            "unless --allow-plaintext is given; pass credentials per command there instead.",
        Examples =
        [
            "echo \"$TOKEN\" | coffer login ghcr.io -u ci --password-stdin",
            "echo \"$TOKEN\" | coffer login ghcr.io --identity-token-stdin",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote,
        [
            new("allow-plaintext", null, null, "allow storing the secret unencrypted in the config file in CI"),
            CommonOptions.Format,
        ]),
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var registry = Registry(parsed.Arguments[0]);
        var credential = session.CommandLineCredential() ?? Prompt(context, parsed, session);
        if (credential.Username is not null && credential.Password is null && credential.IdentityToken is null)
        {
            credential = Prompt(context, parsed, session, credential.Username);
        }

        // Step 1: the credential must work before it is kept.
        using (var client = new RegistryClient(
            registry,
            session.ClientOptions(CredentialSource.FromCommandLine(credential))))
        {
            await client.PingAsync(context.Cancellation).ConfigureAwait(false);
        }

        // Step 2: store it where the config file says, plain text only when allowed.
        var configPath = CredentialStores.ConfigPath(parsed.Value("registry-config"), context);
        var inCi = !string.IsNullOrEmpty(context.Environment("CI"))
            || !string.IsNullOrEmpty(context.Environment("GITHUB_ACTIONS"));
        var allowPlaintext = !inCi || parsed.Flag("allow-plaintext");
        StoreResult stored;
        try
        {
            stored = await session.Store().StoreAsync(registry, credential, allowPlaintext, context.Cancellation)
                .ConfigureAwait(false);
        }
        catch (CredentialStoreException) when (!allowPlaintext)
        {
            throw new CofferException(
                $"login {registry}: refusing to write the secret in plain text to {configPath} in CI, where every " +
                "later step of the job can read it",
                $"pass the credential to each command instead, e.g. echo \"$TOKEN\" | coffer push -u <user> " +
                $"--password-stdin {registry}/<repository>:<tag> <file>; or configure a credential helper; " +
                "or add --allow-plaintext if you accept the risk");
        }

        if (stored.IsPlaintext)
        {
            session.Warn($"the secret is stored unencrypted in {stored.Location}; anyone who can read that file " +
                "can use it. Configure a credential helper (credsStore) to avoid this");
        }

        if (session.Json)
        {
            LoginDocument.From(registry, stored).WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine("Login Succeeded");
        context.Stdout.WriteLine($"Stored in {stored.Location}");
        return ExitCodes.Success;
    }

    internal static string Registry(string argument)
    {
        try
        {
            return RegistryKey.NormalizeInput(argument);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"'{argument}' is not a registry: {e.Message}");
        }
    }

    private static RegistryCredential Prompt(
        CliContext context,
        ParsedCommand parsed,
        Session session,
        string? username = null)
    {
        if (!context.StdinIsTerminal)
        {
            throw new UsageException(
                "no credential given and stdin is not a terminal; pipe it in with " +
                "-u <user> --password-stdin or --identity-token-stdin");
        }

        username ??= context.ReadLine("Username: ");
        string? secret;
        if (string.IsNullOrEmpty(username))
        {
            secret = context.ReadSecret("Token: ");
            session.Redactor.AddSecret(secret);
            return new RegistryCredential(null, null, secret);
        }

        secret = context.ReadSecret("Password: ");
        session.Redactor.AddBasicSecret(username, secret);
        if (string.IsNullOrEmpty(secret))
        {
            throw new UsageException("an empty password was given");
        }

        _ = parsed;
        return new RegistryCredential(username, secret, null);
    }
}
