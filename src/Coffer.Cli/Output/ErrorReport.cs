using System.Text.RegularExpressions;
using Coffer.Diagnostics;
using Coffer.Errors;

namespace Coffer.Cli.Output;

/// <summary>
/// How a failed command reports on stderr, in the shape ORAS uses for its first line: <c>Error: &lt;message&gt;</c>,
/// or, when the registry answered with error codes, <c>Error response from registry: &lt;code&gt;: &lt;message&gt;</c>
/// with each code in lower case and <c>_</c> as a space. Coffer's own lines follow: for a registry error a
/// <c>Detail:</c> line with the operation, request and status (and the codes as the registry wrote them), then
/// any <c>Hint:</c>. The shape is the same with <c>--format json</c>: stdout stays empty on failure.
/// </summary>
internal static partial class ErrorReport
{
    public static void Write(TextWriter stderr, Redactor redactor, CofferException error)
    {
        if (error is RegistryException { Errors.Count: > 0 } registry)
        {
            stderr.WriteLine(redactor.Scrub($"Error response from registry: {Describe(registry.Errors)}"));
            stderr.WriteLine(Line(redactor, $"Detail: {error.Message}"));
        }
        else
        {
            stderr.WriteLine(Line(redactor, $"Error: {error.Message}"));
        }

        if (error.Hint is not null)
        {
            stderr.WriteLine(Line(redactor, $"Hint: {error.Hint}"));
        }
    }

    /// <summary>One line of a report: secrets masked, and names from an artifact made printable.</summary>
    public static string Line(Redactor redactor, string text) => Printable.Text(redactor.Scrub(text));

    /// <summary>
    /// The registry's errors as ORAS renders them: <c>code: message[: detail]</c>, joined by <c>; </c>.
    /// </summary>
    public static string Describe(IReadOnlyList<RegistryError> errors)
    {
        var parts = errors.Select(e =>
        {
            var text = (e.Code ?? "unknown").ToLowerInvariant().Replace('_', ' ');
            if (!string.IsNullOrEmpty(e.Message))
            {
                text += ": " + e.Message;
            }

            if (!string.IsNullOrEmpty(e.Detail) && e.Detail is not ("null" or "{}" or "[]"))
            {
                text += ": " + e.Detail;
            }

            return text;
        });

        // The registry writes these; line breaks or escapes in them must not split the line.
        return ControlCharacters().Replace(string.Join("; ", parts), " ").TrimEnd();
    }

    [GeneratedRegex(@"\p{Cc}+")]
    private static partial Regex ControlCharacters();
}
