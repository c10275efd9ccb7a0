using System.Text.RegularExpressions;

namespace Coffer.Cli.Output;

/// <summary>
/// Text that may hold what an artifact's producer wrote (layer titles, a layout's tags, artifact
/// types, the names in an error), made safe for a terminal: each control character, terminal
/// escapes and line breaks among them, shows as <c>?</c>, as <c>ls</c> shows them. JSON output
/// needs none of this; its serializer escapes them.
/// </summary>
internal static partial class Printable
{
    /// <summary>The text with every control character replaced by <c>?</c>.</summary>
    public static string Text(string? text) => text is null ? "" : ControlCharacters().Replace(text, "?");

    [GeneratedRegex(@"\p{Cc}")]
    private static partial Regex ControlCharacters();
}
