using Coffer.Artifacts;
using Coffer.Cli.Parsing;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary><c>--image-spec v1.1|v1.0</c>, the manifest form push (and, only as v1.1, attach) writes.</summary>
internal static class ImageSpecArguments
{
    public static OptionSpec Option { get; } = new("image-spec", null, "v1.1|v1.0",
        "manifest form: v1.1 (artifactType, empty config) or v1.0 (the config's media type is the type)");

    /// <summary>The form asked for, or null when the flag is not given.</summary>
    public static ImageSpecVersion? Parse(ParsedCommand parsed) => parsed.Value(Option.Long) switch
    {
        null => null,
        "v1.1" => ImageSpecVersion.V1Dot1,
        "v1.0" => ImageSpecVersion.V1Dot0,
        var other => throw new UsageException($"--image-spec must be v1.1 or v1.0, not '{other}'"),
    };
}
