using Coffer.Cli.Commands;
using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Credentials;
using Coffer.Errors;

namespace Coffer.Cli;

/// <summary>
/// The command table and the one place where failures become messages and exit codes.
/// </summary>
internal static class CofferApp
{
    public static IReadOnlyList<CommandSpec> Commands { get; } =
    [
        PushCommand.Spec,
        PullCommand.Spec,
        LoginCommand.Spec,
        LogoutCommand.Spec,
        AttachCommand.Spec,
        DiscoverCommand.Spec,
        TagCommand.Spec,
        ResolveCommand.Spec,
        CopyCommand.Spec,
        ManifestCommand.Spec,
        BlobCommand.Spec,
        RepoCommand.Spec,
        SignCommand.Spec,
        VerifyCommand.Spec,
        SignBlobCommand.Spec,
        VerifyBlobCommand.Spec,
        GenerateKeyPairCommand.Spec,
        CompletionCommand.Spec,
        VersionCommand.Spec,
    ];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            HelpWriter.WriteRoot(args.Count == 0 ? context.Stderr : context.Stdout, Commands);
            return args.Count == 0 ? ExitCodes.Usage : ExitCodes.Success;
        }

        if (args[0] is "--version")
        {
            args = ["version"];
        }

        var command = Commands.FirstOrDefault(c => c.Name == args[0] || c.Aliases.Contains(args[0]));
        if (command is null)
        {
            context.Stderr.WriteLine($"Error: unknown command '{args[0]}'");
            context.Stderr.WriteLine("Run 'coffer --help' for the list of commands.");
            return ExitCodes.Usage;
        }

        var rest = args.Skip(1).ToList();
        while (command.Subcommands.Count > 0)
        {
            if (rest.Count == 0 || rest[0] is "-h" or "--help" or "help")
            {
                HelpWriter.WriteGroup(rest.Count == 0 ? context.Stderr : context.Stdout, command);
                return rest.Count == 0 ? ExitCodes.Usage : ExitCodes.Success;
            }

            var name = rest[0];
            var sub = command.Subcommands.FirstOrDefault(c => c.Name == $"{command.Name} {name}"
                || c.Aliases.Contains(name));
            if (sub is null)
            {
                context.Stderr.WriteLine($"Error: unknown command 'coffer {command.Name} {name}'");
                context.Stderr.WriteLine($"Run 'coffer {command.Name} --help' for the list of its commands.");
                return ExitCodes.Usage;
            }

            command = sub;
            rest = rest.Skip(1).ToList();
        }

        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            HelpWriter.WriteCommand(context.Stdout, command);
            return ExitCodes.Success;
        }

        if (command.Hashes)
        {
            Digest.Preload();
        }

        try
        {
            var parsed = ArgumentParser.Parse(command, rest);
            return await command.Run(context, parsed).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            context.Stderr.WriteLine("Error: cancelled");
            return ExitCodes.Cancelled;
        }
        catch (UsageException e)
        {
            context.Stderr.WriteLine(ErrorReport.Line(context.Redactor, $"Error: {e.Message}"));
            context.Stderr.WriteLine($"Usage: coffer {command.Usage}");
            context.Stderr.WriteLine($"Run 'coffer {command.Name} --help' for more.");
            return ExitCodes.Usage;
        }
        catch (CofferException e)
        {
            ErrorReport.Write(context.Stderr, context.Redactor, e);
            return e.ExitCode;
        }
        catch (CredentialStoreException e)
        {
            context.Stderr.WriteLine(ErrorReport.Line(context.Redactor, $"Error: {e.Message}"));
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Stderr.WriteLine(ErrorReport.Line(context.Redactor, $"Error: {command.Name}: {e.Message}"));
            context.Stderr.WriteLine(
                "Hint: a local file or folder could not be read or written; check that path, its permissions " +
                "and the free space on its disk (temporary files go under TMPDIR)");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is HttpRequestException or FormatException or InvalidOperationException)
        {
            context.Stderr.WriteLine(ErrorReport.Line(context.Redactor, $"Error: {command.Name}: {e.Message}"));
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Anything else is a fault in coffer, but the user still gets one line, not a stack trace.
            context.Stderr.WriteLine(ErrorReport.Line(context.Redactor,
                $"Error: {command.Name} failed unexpectedly ({e.GetType().Name}): {e.Message}"));
            return ExitCodes.Failure;
        }
    }
}
