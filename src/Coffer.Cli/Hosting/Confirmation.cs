using Coffer.Cli.Parsing;
using Coffer.Errors;

namespace Coffer.Cli.Hosting;

/// <summary>The yes/no question a destructive command asks unless <c>-f/--force</c> was given.</summary>
internal static class Confirmation
{
    public static readonly OptionSpec Force =
        new("force", 'f', null, "delete without asking, and succeed when the target is already gone");

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
