using System.Globalization;
using System.Text.RegularExpressions;

namespace Coffer.Testing.Internal;

/// <summary>
/// Parses the Apache "combined" lines distribution writes to stdout, e.g.
/// <c>127.0.0.1 - - [04/Dec/2026:08:35:25 +0000] "GET /v2/ HTTP/1.1" 200 2 "" "curl/7.88.1"</c>.
/// </summary>
internal static partial class AccessLogParser
{
    public static RegistryRequest? TryParse(string line)
    {
        var match = CombinedLine().Match(line);
        if (!match.Success)
        {
            return null;
        }

        return new RegistryRequest(
            match.Groups["method"].Value,
            match.Groups["target"].Value,
            int.Parse(match.Groups["status"].Value, CultureInfo.InvariantCulture),
            match.Groups["agent"].Value);
    }

    [GeneratedRegex(
        """^\S+ \S+ \S+ \[[^\]]*\] "(?<method>\S+) (?<target>\S+) [^"]*" """
        + """(?<status>\d{3}) \S+ "[^"]*" "(?<agent>[^"]*)"$""")]
    private static partial Regex CombinedLine();
}
