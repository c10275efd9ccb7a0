namespace Coffer.Cli.Parsing;

/// <summary>A command's name, arguments, flags, help and handler.</summary>
internal sealed class CommandSpec
{
    public required string Name { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public required string Summary { get; init; }

    /// <summary>The usage line after <c>coffer</c>, such as <c>push [flags] &lt;ref&gt; &lt;file&gt;...</c>.</summary>
    public required string Usage { get; init; }

    public string? Description { get; init; }

    public required IReadOnlyList<string> Examples { get; init; }

    public IReadOnlyList<OptionSpec> Options { get; init; } = [];

    public int MinArguments { get; init; }

    public int MaxArguments { get; init; } = int.MaxValue;

    /// <summary>
    /// The commands of a group such as <c>repo</c>; each is named with the group's name first
    /// (<c>repo ls</c>). A group runs none of its own.
    /// </summary>
    public IReadOnlyList<CommandSpec> Subcommands { get; init; } = [];

    /// <summary>
    /// True for a command that hashes or signs content: the crypto library, which takes milliseconds
    /// to load, is loaded in the background while the command parses its flags and sets up.
    /// </summary>
    public bool Hashes { get; init; }

    /// <summary>Runs the command; returns the exit code.</summary>
    public required Func<Hosting.CliContext, ParsedCommand, Task<int>> Run { get; init; }
}
