using Coffer.Cli.Parsing;
using Coffer.Errors;

namespace Coffer.Cli.Output;

/// <summary>The <c>--format text|json</c> choice every command that prints a result shares.</summary>
internal static class OutputFormat
{
    /// <summary>True for <c>--format json</c>; a usage error for anything but text or json.</summary>
    public static bool IsJson(ParsedCommand parsed) => parsed.Value(CommonOptions.Format.Long) switch
    {
        null or "text" => false,
        "json" => true,
        var other => throw new UsageException($"--format must be text or json, not '{other}'"),
    };
}
