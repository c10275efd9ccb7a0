using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;
using Coffer.Registry;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer tag</c>: more tags for a manifest, pushing the same bytes under each.</summary>
internal static class TagCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "tag",
        Summary = "Tag a manifest that is in the registry or layout",
        Usage = "tag [flags] <registry>/<repository>{:<tag>|@<digest>} <tag>...",
        Examples =
        [
            "coffer tag localhost:5000/app/release:v1.2.0 v1 latest",
            "coffer tag --oci-layout ./layout:v1.2.0 v1",
        ],
        MinArguments = 2,
        Options = CommonOptions.With(CommonOptions.Remote, [CommonOptions.Format, CommonOptions.OciLayout]),
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var argument = TargetArgument.Parse(parsed, parsed.Arguments[0]);
        var source = argument.RequireManifestReference();
        var tags = parsed.Arguments.Skip(1).ToList();
        foreach (var tag in tags.Where(t => !Reference.IsValidTag(t)))
        {
            throw new UsageException($"'{tag}' is not a valid tag: 1 to 128 of letters, digits, '_', '.' and '-'");
        }

        using var target = argument.Open(session, write: true);
        var operation = $"tag {argument}";
        var manifest = await target.Target.FetchManifestAsync(source, operation, context.Cancellation)
            .ConfigureAwait(false);
        var pinned = argument.WithDigest(manifest.Digest);
        if (!session.Json)
        {
            context.Stdout.WriteLine($"Tagging {argument.Kind} {pinned}");
        }

        foreach (var tag in tags)
        {
            await target.Target.PushManifestAsync(tag, manifest.Content, manifest.MediaType, operation,
                context.Cancellation).ConfigureAwait(false);
            if (!session.Json)
            {
                context.Stdout.WriteLine($"Tagged {tag}");
            }
        }

        if (session.Json)
        {
            TagDocument.From(argument, manifest.ToDescriptor(), tags).WriteTo(context.Stdout);
        }

        return ExitCodes.Success;
    }
}
