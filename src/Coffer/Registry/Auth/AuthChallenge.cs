using System.Text;

namespace Coffer.Registry.Auth;

/// <summary>
/// One challenge of a <c>Www-Authenticate</c> header (RFC 7235 §4.1): a scheme and its parameters,
/// such as <c>Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull"</c>.
/// </summary>
public sealed class AuthChallenge
{
    private const int MaxHeaderLength = 16 * 1024;

    private AuthChallenge(string scheme, IReadOnlyDictionary<string, string> parameters)
    {
        Scheme = scheme;
        Parameters = parameters;
    }

    /// <summary>The scheme, as sent (compare case-insensitively).</summary>
    public string Scheme { get; }

    /// <summary>The parameters; names are case-insensitive.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>True for the Bearer scheme.</summary>
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the Basic scheme.</summary>
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>A parameter's value, or <see langword="null"/>.</summary>
    public string? this[string name] => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>
    /// Parses every challenge in one or more header values. Malformed parts end the parse of that
    /// value; what came before them is kept. Never throws.
    /// </summary>
    public static IReadOnlyList<AuthChallenge> Parse(IEnumerable<string> headerValues)
    {
        var challenges = new List<AuthChallenge>();
        foreach (var value in headerValues)
        {
            if (value.Length <= MaxHeaderLength)
            {
                ParseOne(value, challenges);
            }
        }

        return challenges;
    }

    /// <summary>Parses the challenges in one header value.</summary>
    public static IReadOnlyList<AuthChallenge> Parse(string headerValue) => Parse([headerValue]);

    private static void ParseOne(string text, List<AuthChallenge> challenges)
    {
        var i = 0;
        while (true)
        {
            SkipSeparators(text, ref i);
            var scheme = ReadToken(text, ref i);
            if (scheme.Length == 0)
            {
                return;
            }

            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            SkipSpaces(text, ref i);

            // Parameters follow until a token that is not followed by '=' starts the next challenge.
            while (i < text.Length)
            {
                // Empty list elements (", ,") are allowed between parameters (RFC 7230 §7).
                var start = i;
                SkipSeparators(text, ref i);
                var name = ReadToken(text, ref i);
                SkipSpaces(text, ref i);
                if (name.Length == 0 || i >= text.Length || text[i] != '=')
                {
                    i = start;
                    break;
                }

                i++;
                SkipSpaces(text, ref i);
                string? value;
                if (i < text.Length && text[i] == '"')
                {
                    value = ReadQuoted(text, ref i);
                    if (value is null)
                    {
                        challenges.Add(new AuthChallenge(scheme, parameters));
                        return;
                    }
                }
                else
                {
                    value = ReadToken(text, ref i);
                }

                parameters.TryAdd(name, value);
                SkipSpaces(text, ref i);
                if (i < text.Length && text[i] == ',')
                {
                    i++;
                }
            }

            challenges.Add(new AuthChallenge(scheme, parameters));
            if (i >= text.Length)
            {
                return;
            }
        }
    }

    private static void SkipSpaces(string text, ref int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }
    }

    private static void SkipSeparators(string text, ref int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t' or ',')
        {
            i++;
        }
    }

    // token = 1*tchar (RFC 7230 §3.2.6); token68 characters are accepted too.
    private static string ReadToken(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && IsTokenChar(text[i]))
        {
            i++;
        }

        return text[start..i];
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~/:".Contains(c, StringComparison.Ordinal);

    private static string? ReadQuoted(string text, ref int i)
    {
        var builder = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            var c = text[i++];
            if (c == '"')
            {
                return builder.ToString();
            }

            if (c == '\\' && i < text.Length)
            {
                c = text[i++];
            }

            builder.Append(c);
        }

        return null;
    }
}
