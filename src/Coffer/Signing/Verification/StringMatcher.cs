using System.Text.RegularExpressions;

namespace Coffer.Signing.Verification;

/// <summary>
/// Matches an identity or issuer: an exact string, or a regular expression that must match the
/// whole value (unlike cosign, which matches anywhere unless the pattern is anchored).
/// </summary>
public sealed class StringMatcher
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly Regex? _regex;

    private StringMatcher(string? exact, string? pattern, Regex? regex)
    {
        Exact = exact;
        Pattern = pattern;
        _regex = regex;
    }

    /// <summary>The exact value, or null for a pattern.</summary>
    public string? Exact { get; }

    /// <summary>The pattern, or null for an exact value.</summary>
    public string? Pattern { get; }

    /// <summary>A matcher for one exact value (ordinal comparison).</summary>
    public static StringMatcher Equal(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return new StringMatcher(value, null, null);
    }

    /// <summary>
    /// A matcher for a .NET regular expression, anchored at both ends: <c>a.c</c> matches
    /// <c>abc</c> but not <c>xabcx</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression.</exception>
    public static StringMatcher Regex(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        try
        {
            // Linear-time matching: no backreferences or lookarounds, as in RE2 (cosign's engine).
            var regex = new Regex(
                $"\\A(?:{pattern})\\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, MatchTimeout);
            return new StringMatcher(null, pattern, regex);
        }
        catch (NotSupportedException e)
        {
            throw new ArgumentException($"pattern '{pattern}' uses a construct RE2 lacks: {e.Message}",
                nameof(pattern), e);
        }
    }

    /// <summary>Whether the value matches.</summary>
    public bool Matches(string? value)
    {
        if (value is null)
        {
            return false;
        }

        return _regex is null ? string.Equals(Exact, value, StringComparison.Ordinal) : _regex.IsMatch(value);
    }

    /// <inheritdoc />
    public override string ToString() => Exact is not null ? $"'{Exact}'" : $"pattern '{Pattern}'";
}
