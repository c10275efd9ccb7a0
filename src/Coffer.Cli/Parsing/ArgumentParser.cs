using Coffer.Errors;

namespace Coffer.Cli.Parsing;

/// <summary>
/// Parses POSIX-style command lines: <c>--name value</c>, <c>--name=value</c>, <c>-x value</c>,
/// bundled short switches (<c>-dk</c>), and <c>--</c> to end the flags.
/// </summary>
internal static class ArgumentParser
{
    public static ParsedCommand Parse(CommandSpec command, IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var arguments = new List<string>();
        var flagsEnded = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (flagsEnded || arg == "-" || !arg.StartsWith('-'))
            {
                arguments.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                flagsEnded = true;
                continue;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var equals = arg.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? arg[2..] : arg[2..equals];
                var option = command.Options.FirstOrDefault(o => o.Long == name)
                    ?? throw new UsageException($"unknown flag --{name} for 'coffer {command.Name}'");
                var value = equals < 0 ? null : arg[(equals + 1)..];
                if (option.TakesValue && value is null)
                {
                    value = i + 1 < args.Count ? args[++i] : throw Missing(option);
                }

                // A switch takes true or false and nothing else: --tlog-upload=no must not mean yes.
                if (!option.TakesValue && value is not null)
                {
                    value = value.ToLowerInvariant() switch
                    {
                        "true" => "true",
                        "false" => "false",
                        _ => throw new UsageException($"--{name} takes true or false, not '{value}'"),
                    };
                }

                Add(values, option, value ?? "true");
                continue;
            }

            // Short flags: -u name, -uname, or bundled switches such as -dk.
            for (var j = 1; j < arg.Length; j++)
            {
                var option = command.Options.FirstOrDefault(o => o.Short == arg[j])
                    ?? throw new UsageException($"unknown flag -{arg[j]} for 'coffer {command.Name}'");
                if (!option.TakesValue)
                {
                    Add(values, option, "true");
                    continue;
                }

                var value = j + 1 < arg.Length ? arg[(j + 1)..]
                    : i + 1 < args.Count ? args[++i]
                    : throw Missing(option);
                Add(values, option, value);
                break;
            }
        }

        if (arguments.Count < command.MinArguments || arguments.Count > command.MaxArguments)
        {
            var expected = command.MinArguments == command.MaxArguments
                ? $"{command.MinArguments}"
                : command.MaxArguments == int.MaxValue
                    ? $"at least {command.MinArguments}"
                    : $"{command.MinArguments} to {command.MaxArguments}";
            var limit = command.MaxArguments == int.MaxValue ? command.MinArguments : command.MaxArguments;
            throw new UsageException(
                $"'coffer {command.Name}' takes {expected} argument{(limit == 1 ? "" : "s")}, " +
                $"got {arguments.Count}");
        }

        return new ParsedCommand(command, values, arguments);
    }

    private static void Add(Dictionary<string, List<string>> values, OptionSpec option, string value)
    {
        if (!values.TryGetValue(option.Long, out var list))
        {
            values[option.Long] = list = [];
        }
        else if (!option.Repeatable && option.TakesValue)
        {
            throw new UsageException($"--{option.Long} was given more than once");
        }

        list.Add(value);
    }

    private static UsageException Missing(OptionSpec option) =>
        new($"--{option.Long} needs a value ({option.ValueName})");
}
