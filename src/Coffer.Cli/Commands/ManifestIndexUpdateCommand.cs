using Coffer.Artifacts;
using Coffer.Cli.Hosting;
using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer manifest index update</c>: an index with entries added, merged in or removed.</summary>
internal static class ManifestIndexUpdateCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "manifest index update",
        Summary = "Add, merge or remove entries of an index and push the result",
        Usage = "manifest index update [flags] <registry>/<repository>{:<tag>|@<digest>} " +
            "[--add <ref>]... [--merge <ref>]... [--remove <digest>]...",
        Description =
            "Removes entries first, then adds manifests (an image's entry gets its config's platform),\n" +
            "then adds the entries of other indexes; all in the same repository or layout. A manifest\n" +
            "that is listed already is not added again. The new index replaces a tag the reference names;\n" +
            "one named by digest is pushed by its new digest. --tag adds tags; -o writes the index instead.",
        Examples =
        [
            "coffer manifest index update localhost:5000/app/multi:v1 --add linux-riscv64 --remove sha256:<hex>",
            "coffer manifest index update localhost:5000/app/multi:v2 --merge v2-windows --tag v2.1",
            "coffer manifest index update -o - --pretty localhost:5000/app/multi@sha256:<hex> --add linux-s390x",
            "coffer manifest index update --oci-layout ./layout:v1 --add linux-riscv64",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote,
        [
            new("add", null, "ref", "add this manifest (tag or digest; repeatable)", Repeatable: true),
            new("merge", null, "ref", "add the entries of this index (repeatable)", Repeatable: true),
            new("remove", null, "digest", "remove the entry with this digest (repeatable)", Repeatable: true),
            new("tag", null, "tag", "also tag the new index (repeatable)", Repeatable: true),
        ], IndexPublisher.Flags, [CommonOptions.OciLayout]),
        Hashes = true,
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        var session = new Session(context, parsed);
        var publisher = new IndexPublisher(context, parsed, session);
        var argument = TargetArgument.Parse(parsed, parsed.Arguments[0]);
        var index = argument.RequireManifestReference();
        parsed.Exclusive("tag", "output");
        var removes = parsed.Values("remove").Select(Removal).ToList();
        var adds = parsed.Values("add");
        var merges = parsed.Values("merge");
        foreach (var source in adds.Concat(merges))
        {
            IndexPublisher.CheckSource(argument, source);
        }

        var tags = parsed.Values("tag");
        var invalid = tags.FirstOrDefault(t => !Reference.IsValidTag(t));
        if (invalid is not null)
        {
            throw new UsageException($"--tag '{invalid}' is not a valid tag");
        }

        var artifactType = PackArguments.ArtifactType(parsed.Value("artifact-type"));
        var annotations = publisher.Annotations();
        if (removes.Count + adds.Count + merges.Count == 0 && artifactType is null && annotations.Count == 0)
        {
            context.Stdout.WriteLine("Nothing to update: give --add, --merge, --remove, --artifact-type or -a");
            return ExitCodes.Success;
        }

        using var target = argument.Open(session, write: publisher.Output is null);
        var builder = new IndexBuilder(target.Target);
        var operation = $"update index {argument}";
        publisher.Status("Fetching", argument.ToString());
        var (fetched, existing) = await builder.FetchIndexAsync(index, operation, context.Cancellation)
            .ConfigureAwait(false);
        publisher.Fetched(argument.ToString(), fetched);

        var editor = new IndexEditor(existing.Manifests);
        editor.Remove(removes, argument.ToString());
        foreach (var removed in removes.Distinct())
        {
            publisher.Status("Removed", removed.ToString());
        }

        foreach (var source in adds)
        {
            publisher.Status("Fetching", source);
            var described = await builder.DescribeAsync(source, $"add {source} to the index", context.Cancellation)
                .ConfigureAwait(false);
            publisher.Fetched(source, described.Manifest);

            // Listing the index in its own update would nest the old version inside the new one.
            if (described.Entry.Digest == fetched.Digest.ToString())
            {
                throw new UsageException(
                    $"--add {source} names the index being updated ({fetched.Digest}); an index cannot list " +
                    "itself, so nothing was pushed")
                {
                    Hint = "add the manifests it should list, or --merge another index to take its entries",
                };
            }

            var line = IndexPublisher.Named(source, described.Entry.Digest);
            if (editor.Add(described.Entry))
            {
                publisher.Status("Added", line);
            }
            else
            {
                publisher.Status("Skipped", line + ": already in the index");
            }
        }

        foreach (var source in merges)
        {
            publisher.Status("Fetching", source);
            var (merged, other) = await builder.FetchIndexAsync(source, $"merge {source} into the index",
                context.Cancellation).ConfigureAwait(false);
            publisher.Fetched(source, merged);
            foreach (var entry in other.Manifests.Where(e => !editor.Add(e)))
            {
                publisher.Status("Skipped", $"{entry.Digest} of {source}: already in the index");
            }

            publisher.Status("Merged", IndexPublisher.Named(source, merged.Digest.ToString()));
        }

        var updated = new ImageIndex
        {
            SchemaVersion = existing.SchemaVersion,
            MediaType = existing.MediaType,
            ArtifactType = artifactType ?? existing.ArtifactType,
            Manifests = [.. editor.Entries],
            Subject = existing.Subject,
            Annotations = Merge(existing.Annotations, annotations),
        };
        var first = argument.Digest is null ? argument.Tag : null;
        if (first is not null && publisher.Output is null)
        {
            await RequireUnmovedAsync(target.Target, first, fetched.Digest, operation, context.Cancellation)
                .ConfigureAwait(false);
        }

        return await publisher.PublishAsync(target.Target, argument, first, tags, updated, "Updated")
            .ConfigureAwait(false);
    }

    // Neither a registry nor a layout has a conditional write: pushing over a tag that another writer moved since the
    // fetch would drop that writer's change without a word. Looking again just before the push
    // leaves only the moment between this look and the push for a race.
    private static async Task RequireUnmovedAsync(
        Coffer.Targets.ITarget repository, string tag, Digest fetched, string operation,
        CancellationToken cancellationToken)
    {
        var now = await repository.ResolveAsync(tag, operation, cancellationToken).ConfigureAwait(false);
        if (now?.Digest != fetched.ToString())
        {
            throw new CofferException(
                $"{operation}: the tag {tag} moved from {fetched} to {now?.Digest ?? "nothing"} while the index " +
                "was updated; another writer changed it, so nothing was pushed",
                "rerun the update to apply it to the index the tag names now");
        }
    }

    // --remove takes digests only, as ORAS does: a tag could point elsewhere by now.
    private static Digest Removal(string text) =>
        Digest.TryParse(text.TrimStart('@'), out var digest, out var error)
            ? digest
            : throw new UsageException($"--remove takes the digest of an entry, and '{text}' is not one: {error}");

    private static SortedDictionary<string, string>? Merge(
        SortedDictionary<string, string>? existing, Dictionary<string, string> added)
    {
        if (added.Count == 0)
        {
            return existing;
        }

        var merged = new SortedDictionary<string, string>(existing ?? [], StringComparer.Ordinal);
        foreach (var (key, value) in added)
        {
            merged[key] = value;
        }

        return merged;
    }
}
