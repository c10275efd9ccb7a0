using Coffer.Errors;

namespace Coffer.Cli.Parsing;

/// <summary>A command line after parsing: the flags given and the positional arguments.</summary>
internal sealed class ParsedCommand
{
    private readonly Dictionary<string, List<string>> _values;

    public ParsedCommand(CommandSpec command, Dictionary<string, List<string>> values, List<string> arguments)
    {
        Command = command;
        _values = values;
        Arguments = arguments;
    }

    public CommandSpec Command { get; }

    public IReadOnlyList<string> Arguments { get; }

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The switch's value: true when given, unless given as <c>--name=false</c>.</summary>
    public bool Flag(string name) => _values.TryGetValue(name, out var values) && values[^1] == "true";

    /// <summary>The switch's explicit value, or null when it was not given.</summary>
    public bool? OptionalFlag(string name) => Has(name) ? Flag(name) : null;

    public string? Value(string name) => _values.TryGetValue(name, out var values) ? values[^1] : null;

    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var values) ? values : [];

    public int Int(string name, int fallback, int min, int max)
    {
        var text = Value(name);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            throw new UsageException($"--{name} must be a whole number from {min} to {max}, not '{text}'");
        }

        return value;
    }

    /// <summary>A copy without one flag, for commands that read it themselves.</summary>
    public ParsedCommand WithoutValue(string name)
    {
        var values = new Dictionary<string, List<string>>(_values, StringComparer.Ordinal);
        values.Remove(name);
        return new ParsedCommand(Command, values, [.. Arguments]);
    }

    /// <summary>Fails when two flags that exclude each other were both given.</summary>
    public void Exclusive(string a, string b)
    {
        if (Has(a) && Has(b))
        {
            throw new UsageException($"--{a} and --{b} cannot be used at the same time");
        }
    }
}
