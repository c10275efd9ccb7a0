namespace Coffer.Cli.Parsing;

/// <summary>Renders help text for the root and for each command.</summary>
internal static class HelpWriter
{
    public static void WriteRoot(TextWriter output, IReadOnlyList<CommandSpec> commands)
    {
        output.WriteLine("coffer: store and fetch files as OCI artifacts in any OCI registry");
        output.WriteLine();
        output.WriteLine("Usage: coffer <command> [flags] [arguments]");
        output.WriteLine();
        output.WriteLine("Commands:");
        var width = commands.Max(c => c.Name.Length);
        foreach (var command in commands)
        {
            output.WriteLine($"  {command.Name.PadRight(width)}  {command.Summary}");
        }

        output.WriteLine();
        output.WriteLine("Examples:");
        output.WriteLine(
            "  echo \"$TOKEN\" | coffer push -u ci --password-stdin ghcr.io/owner/repo/state:latest state.json");
        output.WriteLine("  echo \"$TOKEN\" | coffer pull -u ci --password-stdin ghcr.io/owner/repo/state:latest -o .");
        output.WriteLine();
        output.WriteLine("Run 'coffer <command> --help' for a command's flags.");
    }

    public static void WriteCommand(TextWriter output, CommandSpec command)
    {
        output.WriteLine(command.Summary);
        output.WriteLine();
        output.WriteLine($"Usage: coffer {command.Usage}");
        if (command.Aliases.Count > 0)
        {
            output.WriteLine($"Aliases: {string.Join(", ", command.Aliases)}");
        }

        if (command.Description is not null)
        {
            output.WriteLine();
            output.WriteLine(command.Description);
        }

        output.WriteLine();
        output.WriteLine("Examples:");
        foreach (var example in command.Examples)
        {
            output.WriteLine($"  {example}");
        }

        output.WriteLine();
        output.WriteLine("Flags:");
        foreach (var option in command.Options)
        {
            var names = option.Short is { } s ? $"-{s}, --{option.Long}" : $"    --{option.Long}";
            if (option.ValueName is not null)
            {
                names += $" <{option.ValueName}>";
            }

            output.WriteLine($"  {names,-36} {option.Help}");
        }
    }

    public static void WriteGroup(TextWriter output, CommandSpec group)
    {
        output.WriteLine(group.Summary);
        output.WriteLine();
        output.WriteLine($"Usage: coffer {group.Usage}");
        output.WriteLine();
        output.WriteLine("Commands:");
        foreach (var command in group.Subcommands)
        {
            var name = command.Name[(group.Name.Length + 1)..];
            var aliases = command.Aliases.Count > 0 ? $" (or {string.Join(", ", command.Aliases)})" : "";
            output.WriteLine($"  {name + aliases,-28} {command.Summary}");
        }

        output.WriteLine();
        output.WriteLine("Examples:");
        foreach (var example in group.Examples)
        {
            output.WriteLine($"  {example}");
        }

        output.WriteLine();
        output.WriteLine($"Run 'coffer {group.Name} <command> --help' for a command's flags.");
    }
}
