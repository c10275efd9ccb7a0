namespace Coffer.Cli.Parsing;

/// <summary>One flag a command accepts.</summary>
/// <param name="Long">The long name, without dashes (<c>password-stdin</c>).</param>
/// <param name="Short">The one-letter name, or null.</param>
/// <param name="ValueName">The value's name in help (<c>path</c>), or null for a switch.</param>
/// <param name="Help">One line of help.</param>
/// <param name="Repeatable">True when the flag may be given more than once.</param>
internal sealed record OptionSpec(string Long, char? Short, string? ValueName, string Help, bool Repeatable = false)
{
    public bool TakesValue => ValueName is not null;
}
