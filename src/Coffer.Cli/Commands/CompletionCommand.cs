using System.Text;
using Coffer.Cli.Hosting;
using Coffer.Cli.Parsing;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer completion bash|zsh|fish</c>: a completion script built from the command table, so
/// it names exactly the commands and flags this binary has.
/// </summary>
internal static class CompletionCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "completion",
        Summary = "Print a shell completion script (bash, zsh or fish)",
        Usage = "completion bash|zsh|fish",
        Description = "The script is shell code, so this command has no --format json.",
        Examples =
        [
            "source <(coffer completion bash)",
            "coffer completion zsh > \"${fpath[1]}/_coffer\"",
            "coffer completion fish > ~/.config/fish/completions/coffer.fish",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = [CommonOptions.Help],
        Run = Run,
    };

    private static Task<int> Run(CliContext context, ParsedCommand parsed)
    {
        var commands = CofferApp.Commands;
        var script = parsed.Arguments[0] switch
        {
            "bash" => Bash(commands),
            "zsh" => "#compdef coffer\nautoload -U bashcompinit && bashcompinit\n" + Bash(commands),
            "fish" => Fish(commands),
            var other => throw new UsageException($"no completion for shell '{other}'; use bash, zsh or fish"),
        };
        context.Stdout.Write(script);
        return Task.FromResult(ExitCodes.Success);
    }

    private static string Bash(IReadOnlyList<CommandSpec> commands)
    {
        var text = new StringBuilder();
        text.AppendLine("_coffer() {");
        text.AppendLine("  local cur=\"${COMP_WORDS[COMP_CWORD]}\" cmd=\"${COMP_WORDS[1]}\" sub=\"${COMP_WORDS[2]}\"");
        text.AppendLine("  if [ \"$COMP_CWORD\" -eq 1 ]; then");
        var names = string.Join(' ', commands.Select(c => c.Name));
        text.AppendLine($"    COMPREPLY=($(compgen -W \"{names}\" -- \"$cur\"))");
        text.AppendLine("    return");
        text.AppendLine("  fi");
        text.AppendLine("  local words=\"\"");
        text.AppendLine("  case \"$cmd\" in");
        foreach (var command in commands)
        {
            if (command.Subcommands.Count > 0)
            {
                text.AppendLine($"    {command.Name})");
                text.AppendLine("      if [ \"$COMP_CWORD\" -eq 2 ]; then");
                var subs = string.Join(' ', command.Subcommands.Select(Word));
                text.AppendLine($"        COMPREPLY=($(compgen -W \"{subs}\" -- \"$cur\"))");
                text.AppendLine("        return");
                text.AppendLine("      fi");
                text.AppendLine("      case \"$sub\" in");
                foreach (var sub in command.Subcommands)
                {
                    if (sub.Subcommands.Count == 0)
                    {
                        text.AppendLine($"        {Word(sub)}) words=\"{Flags(sub)}\" ;;");
                        continue;
                    }

                    // A group inside a group (manifest index): its commands are the third word.
                    var leaves = string.Join(' ', sub.Subcommands.Select(Word));
                    text.AppendLine($"        {Word(sub)})");
                    text.AppendLine("          if [ \"$COMP_CWORD\" -eq 3 ]; then");
                    text.AppendLine($"            COMPREPLY=($(compgen -W \"{leaves}\" -- \"$cur\"))");
                    text.AppendLine("            return");
                    text.AppendLine("          fi");
                    text.AppendLine("          case \"${COMP_WORDS[3]}\" in");
                    foreach (var leaf in sub.Subcommands)
                    {
                        var patterns = string.Join('|', leaf.Aliases.Prepend(Word(leaf)));
                        text.AppendLine($"            {patterns}) words=\"{Flags(leaf)}\" ;;");
                    }

                    text.AppendLine($"            *) words=\"{leaves}\" ;;");
                    text.AppendLine("          esac ;;");
                }

                text.AppendLine($"        *) words=\"{string.Join(' ', command.Subcommands.Select(Word))}\" ;;");
                text.AppendLine("      esac ;;");
                continue;
            }

            text.AppendLine($"    {command.Name}) words=\"{Flags(command)}\" ;;");
        }

        text.AppendLine("  esac");
        text.AppendLine("  if [[ \"$cur\" == -* || -z \"$words\" ]]; then");
        text.AppendLine("    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))");
        text.AppendLine("  else");
        text.AppendLine("    COMPREPLY=($(compgen -f -- \"$cur\"))");
        text.AppendLine("  fi");
        text.AppendLine("}");
        text.AppendLine("complete -F _coffer coffer");
        return text.ToString();
    }

    private static string Fish(IReadOnlyList<CommandSpec> commands)
    {
        var text = new StringBuilder();
        var names = string.Join(' ', commands.Select(c => c.Name));
        text.AppendLine("complete -c coffer -f");
        foreach (var command in commands)
        {
            text.AppendLine($"complete -c coffer -n \"not __fish_seen_subcommand_from {names}\" " +
                $"-a {command.Name} -d {Quote(command.Summary)}");
            foreach (var option in Leaves(command).SelectMany(s => s.Options).DistinctBy(o => o.Long))
            {
                var line = $"complete -c coffer -n \"__fish_seen_subcommand_from {command.Name}\" -l {option.Long}";
                if (option.Short is { } letter)
                {
                    line += $" -s {letter}";
                }

                text.AppendLine(line + (option.TakesValue ? " -r" : "") + $" -d {Quote(option.Help)}");
            }
        }

        return text.ToString();
    }

    // The commands that run, under any depth of groups.
    private static IEnumerable<CommandSpec> Leaves(CommandSpec command) =>
        command.Subcommands.Count == 0 ? [command] : command.Subcommands.SelectMany(Leaves);

    // A subcommand's name is written in full ("manifest fetch"); the shell sees its last word.
    private static string Word(CommandSpec command) => command.Name.Split(' ')[^1];

    private static string Flags(CommandSpec command) =>
        string.Join(' ', command.Options.Select(o => "--" + o.Long));

    private static string Quote(string text) => "'" + text.Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
