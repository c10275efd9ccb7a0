using Coffer.Artifacts;
using Coffer.Cli.Hosting;
using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary><c>--platform os/arch[/variant][:os_version]</c>, shared by pull, fetch, fetch-config and attach.</summary>
internal static class PlatformArguments
{
    public static OptionSpec Option { get; } = new("platform", null, "os/arch[/variant][:os_version]",
        "take the manifest for this platform from an index (a single manifest's platform is checked)");

    /// <summary>The wanted platform, or null when the flag is not given.</summary>
    public static Platform? Parse(ParsedCommand parsed) => parsed.Value(Option.Long) is not { } text ? null
        : Platform.TryParse(text, out var platform, out var error) ? platform
        : throw new UsageException($"--platform: {error}");

    /// <summary>Says so when a single manifest states no platform, so --platform could not be checked.</summary>
    public static void WarnIfUnchecked(Session session, Platform wanted, Platform? stated, string digest)
    {
        if (stated is null)
        {
            session.Warn($"{digest} is a single manifest that states no platform (its config is not an image " +
                $"config, or names none), so --platform {wanted} was not checked");
        }
    }

    /// <summary>Fetches the reference's manifest and, with --platform, the one for that platform.</summary>
    public static async Task<Registry.FetchedManifest> FetchAsync(
        Session session, Coffer.Targets.ITarget repository, string target, Platform? wanted, string operation)
    {
        var cancellation = session.Context.Cancellation;
        var manifest = await repository.FetchManifestAsync(target, operation, cancellation).ConfigureAwait(false);
        if (wanted is null)
        {
            return manifest;
        }

        var match = await PlatformResolver.SelectAsync(repository, manifest, wanted, operation, cancellation)
            .ConfigureAwait(false);
        WarnIfUnchecked(session, wanted, match.Platform, match.Manifest.Digest.ToString());
        return match.Manifest;
    }
}
