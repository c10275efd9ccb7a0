using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;
using Coffer.Signing.Keys;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer generate-key-pair</c>: a cosign-format key pair.</summary>
internal static class GenerateKeyPairCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "generate-key-pair",
        Summary = "Write a cosign-compatible key pair (<prefix>.key, encrypted, and <prefix>.pub)",
        Usage = "generate-key-pair [--output-key-prefix <prefix>]",
        Description = "The private key is ECDSA P-256, encrypted with scrypt and NaCl secretbox as cosign does,\n" +
            "with the password from COSIGN_PASSWORD or, on a terminal, a prompt.",
        Examples = ["COSIGN_PASSWORD=... coffer generate-key-pair --output-key-prefix release"],
        MaxArguments = 0,
        Options = CommonOptions.With(
        new OptionSpec[]
        {
            new("output-key-prefix", null, "prefix", "file name prefix (default cosign)"),
            new("force", 'f', null, "replace existing key files"),
            CommonOptions.Format,
        }),
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var json = OutputFormat.IsJson(parsed);
        var given = parsed.Value("output-key-prefix") ?? "cosign";
        if (given.Length == 0 || given.EndsWith('/'))
        {
            throw new UsageException("--output-key-prefix needs a file name, such as release or keys/release");
        }

        var prefix = Path.GetFullPath(given, context.WorkingDirectory);
        var password = new KeyPassword(context.Environment, context.StdinIsTerminal ? context.ReadSecret : null)
            .ResolveForNewKey();
        var files = await KeyPairWriter.WriteAsync(prefix, password, parsed.Flag("force"), context.Cancellation)
            .ConfigureAwait(false);
        if (json)
        {
            new KeyPairDocument { PrivateKey = files.PrivateKeyPath, PublicKey = files.PublicKeyPath }
                .WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        context.Stdout.WriteLine($"Private key written to {files.PrivateKeyPath}");
        context.Stdout.WriteLine($"Public key written to {files.PublicKeyPath}");
        return ExitCodes.Success;
    }
}
