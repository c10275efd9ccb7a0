using Coffer.Cli.Parsing;
using Coffer.Errors;

namespace Coffer.Cli.Hosting;

/// <summary>The yes/no question a destructive command asks unless <c>-f/--force</c> was given.</summary>
internal static class Confirmation
{
    public static readonly OptionSpec Force =
        new("force", 'f', null, "delete without asking, and succeed when the target is already gone");

    /// <summary>
    /// The flag check both deletes share: a descriptor printed on stdout cannot share it with a prompt.
    /// </summary>
    public static void CheckDescriptorFlag(ParsedCommand parsed)
    {
        if (parsed.Flag("descriptor") && !parsed.Flag("force"))
        {
            throw new UsageException("--descriptor needs --force, so a prompt does not mix with the output");
        }
    }

    /// <summary>Says that nothing was deleted and returns the exit code for it.</summary>
    public static int Declined(CliContext context)
    {
        context.Stderr.WriteLine("Not deleted: the prompt was not confirmed.");
        return ExitCodes.Failure;
    }

    /// <summary>True to go on. Without a terminal to ask on and without --force, a usage error.</summary>
    public static bool Ask(CliContext context, ParsedCommand parsed, string question)
    {
        if (parsed.Flag("force"))
        {
            return true;
        }

        if (!context.StdinIsTerminal)
        {
            throw new UsageException(
                "stdin is not a terminal, so there is no one to confirm the delete; add -f/--force to delete " +
                "without a prompt");
        }

        var answer = context.ReadLine($"{question} [y/N] ")?.Trim();
        return answer is not null
            && (answer.Equals("y", StringComparison.OrdinalIgnoreCase)
                || answer.Equals("yes", StringComparison.OrdinalIgnoreCase));
    }
}
