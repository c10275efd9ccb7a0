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
        Summary = "Tag a manifest that is in the registry",
        Usage = "tag [flags] <registry>/<repository>{:<tag>|@<digest>} <tag>...",
        Examples = ["coffer tag localhost:5000/app/release:v1.2.0 v1 latest"],
        MinArguments = 2,
        Options = CommonOptions.With(CommonOptions.Remote, [CommonOptions.Format]),
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var reference = ReferenceArguments.Parse(parsed.Arguments[0]);
        var target = reference.ManifestReference
            ?? throw new UsageException($"'{reference}' names no tag or digest; add :<tag> or @sha256:<digest>");
        var tags = parsed.Arguments.Skip(1).ToList();
        foreach (var tag in tags.Where(t => !Reference.IsValidTag(t)))
        {
            throw new UsageException($"'{tag}' is not a valid tag: 1 to 128 of letters, digits, '_', '.' and '-'");
        }

        using var client = new RegistryClient(reference, session.ClientOptions(), write: true);
        var operation = $"tag {reference}";
        var manifest = await client.Repository!.FetchManifestAsync(target, operation, context.Cancellation)
            .ConfigureAwait(false);
        var pinned = reference.WithDigest(manifest.Digest);
        if (!session.Json)
        {
            context.Stdout.WriteLine($"Tagging [registry] {pinned}");
        }

        foreach (var tag in tags)
        {
            await client.Repository.PushManifestAsync(tag, manifest.Content, manifest.MediaType, operation,
                context.Cancellation).ConfigureAwait(false);
            if (!session.Json)
            {
                context.Stdout.WriteLine($"Tagged {tag}");
            }
        }

        if (session.Json)
        {
            TagDocument.From(reference, manifest.ToDescriptor(), tags).WriteTo(context.Stdout);
        }

        return ExitCodes.Success;
    }
}
