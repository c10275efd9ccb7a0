using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer repo tags</c>: the tags of one repository.</summary>
internal static class RepoTagsCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "repo tags",
        Aliases = ["show-tags"],
        Summary = "List the tags of a repository",
        Usage = "repo tags [flags] <registry>/<repository>",
        Description =
            "Reads GET /v2/<repository>/tags/list, page by page. Next-page links are followed only on the\n" +
            $"registry's own origin, for at most {RegistryLimits.MaxListPages} pages.",
        Examples =
        [
            "coffer repo tags localhost:5000/app/release",
            "coffer repo tags --exclude-digest-tags --format json ghcr.io/owner/repo/state",
            "coffer repo tags --oci-layout ./layout",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote,
        [
            new("last", null, "tag", "list only tags after this one"),
            new("exclude-digest-tags", null, null, "hide referrers tags such as sha256-<hex>"),
            CommonOptions.OciLayout,
            CommonOptions.Format,
        ]),
        Run = RunAsync,
    };

    /// <summary>True for a tag of the referrers tag schema: <c>&lt;algorithm&gt;-&lt;hex&gt;</c>.</summary>
    public static bool IsDigestTag(string tag)
    {
        var dash = tag.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && Digest.TryParse($"{tag[..dash]}:{tag[(dash + 1)..]}", out _, out _);
    }

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var argument = TargetArgument.Parse(parsed, parsed.Arguments[0]);
        if (argument.ManifestReference is not null)
        {
            throw new UsageException(argument.IsLayout
                ? $"'{parsed.Arguments[0]}' names a tag or digest; give the layout's folder or tar alone"
                : $"'{parsed.Arguments[0]}' names a tag or digest; give <registry>/<repository>");
        }

        using var target = argument.Open(session, write: false);
        var operation = $"list tags of {argument}";
        var tags = (await target.Target.TagsAsync(parsed.Value("last"), operation, context.Cancellation)
            .ConfigureAwait(false)).ToList();
        if (parsed.Flag("exclude-digest-tags"))
        {
            tags.RemoveAll(IsDigestTag);
        }

        if (session.Json)
        {
            new TagsDocument { Tags = tags }.WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        // A layout's tags are whatever its index.json says; a registry's are checked by the registry.
        foreach (var tag in tags)
        {
            context.Stdout.WriteLine(Printable.Text(tag));
        }

        return ExitCodes.Success;
    }
}
