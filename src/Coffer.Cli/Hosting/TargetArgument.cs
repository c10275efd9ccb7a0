using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;
using Coffer.Targets;

namespace Coffer.Cli.Hosting;

/// <summary>
/// A command's target as its positional argument names it, parsed and checked but not yet opened:
/// a repository in a registry (<c>registry/repository[:tag][@digest]</c>) or, with
/// <c>--oci-layout</c>, an OCI image layout (<c>&lt;dir-or-tar&gt;[:tag][@digest]</c>). It names the
/// target in messages as ORAS does.
/// </summary>
internal sealed class TargetArgument
{
    private TargetArgument(
        string prefix, Reference? reference, string? layoutPath, string? tag, Digest? digest,
        IReadOnlyList<string> tags)
    {
        Prefix = prefix;
        Reference = reference;
        LayoutPath = layoutPath;
        Tag = tag;
        Digest = digest;
        Tags = tags;
    }

    /// <summary>The flag prefix of this side of a copy (<c>from-</c>, <c>to-</c>), else empty.</summary>
    public string Prefix { get; }

    /// <summary>The reference, for a registry; null for a layout.</summary>
    public Reference? Reference { get; }

    /// <summary>The layout's folder or tar as given, for a layout; null for a registry.</summary>
    public string? LayoutPath { get; }

    /// <summary>The tag given, if any (the first of a comma list).</summary>
    public string? Tag { get; }

    /// <summary>The digest given, if any.</summary>
    public Digest? Digest { get; }

    /// <summary>Every tag of a comma list (<c>:v1,latest</c>), the first one first; empty when none.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>The tag or digest to address the manifest by, digest first.</summary>
    public string? ManifestReference => Digest?.ToString() ?? Tag;

    /// <summary>True for an OCI layout.</summary>
    public bool IsLayout => LayoutPath is not null;

    /// <summary><c>[registry]</c> or <c>[oci-layout]</c>, as ORAS's summary lines say.</summary>
    public string Kind => IsLayout ? "[oci-layout]" : "[registry]";

    /// <summary>"registry" or "layout", for sentences.</summary>
    public string Noun => IsLayout ? "layout" : "registry";

    /// <summary>What to check when the target lacks a manifest or blob.</summary>
    public string MissingHint => IsLayout
        ? "check the layout's path and the tag or digest"
        : "check the repository name and the tag or digest";

    /// <summary>
    /// The error for a tag or digest the target has no manifest for; for a layout's tag, that no entry
    /// of its <c>index.json</c> carries the tag, as the layout itself says it.
    /// </summary>
    public CofferException MissingManifest(string reference, string operation) =>
        IsLayout && !Content.Digest.TryParse(reference, out _, out _)
            ? OciLayout.MissingTag(Name, reference, operation)
            : new CofferException($"{operation}: the {Noun} has no manifest {reference}", MissingHint);

    /// <summary>The target without tag or digest: <c>registry/repository</c>, or the layout's path.</summary>
    public string Name => LayoutPath ?? $"{Reference!.Registry}/{Reference.Repository}";

    /// <summary>
    /// Parses an argument. With <c>--oci-layout</c> (<c>--from-oci-layout</c>, <c>--to-oci-layout</c>
    /// for a side of a copy) it names a layout, and flags meant for a registry are refused.
    /// </summary>
    /// <param name="parsed">The command line.</param>
    /// <param name="argument">The positional argument.</param>
    /// <param name="tagList">True when the argument may carry a comma list of tags.</param>
    /// <param name="prefix">The flag prefix of one side of a copy, else empty.</param>
    public static TargetArgument Parse(ParsedCommand parsed, string argument, bool tagList = false, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(parsed);
        if (!parsed.Flag(prefix + "oci-layout"))
        {
            if (!tagList)
            {
                var single = Commands.ReferenceArguments.Parse(argument);
                return new TargetArgument(prefix, single, null, single.Tag, single.Digest,
                    single.Tag is null ? [] : [single.Tag]);
            }

            var (reference, tags) = Commands.ReferenceArguments.WithTags(argument);
            return new TargetArgument(prefix, reference, null, reference.Tag, reference.Digest, tags);
        }

        foreach (var flag in CommonOptions.RegistryOnly.Select(f => prefix + f).Where(parsed.Has))
        {
            throw new UsageException($"--{flag} is for registries and cannot be used with --{prefix}oci-layout");
        }

        var (path, tag, digest, list) = ParseLayout(argument, tagList);
        return new TargetArgument(prefix, null, path, tag, digest, list);
    }

    /// <summary>
    /// Splits <c>&lt;dir-or-tar&gt;[:tag[,tag...]][@digest]</c>: the digest after the last <c>@</c>,
    /// the tag after the last <c>:</c>, both only after the last <c>/</c>, so folders may hold colons.
    /// </summary>
    public static (string Path, string? Tag, Digest? Digest, IReadOnlyList<string> Tags) ParseLayout(
        string argument, bool tagList)
    {
        ArgumentNullException.ThrowIfNull(argument);
        var rest = argument;
        Digest? digest = null;
        var at = rest.LastIndexOf('@');
        if (at > rest.LastIndexOf('/'))
        {
            if (!Content.Digest.TryParse(rest[(at + 1)..], out var parsed, out var error))
            {
                throw new UsageException($"invalid layout reference '{argument}': {error}");
            }

            digest = parsed;
            rest = rest[..at];
        }

        string[] tags = [];
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tags = rest[(colon + 1)..].Split(',');
            rest = rest[..colon];
            if (tags.Length > 1 && !tagList)
            {
                throw new UsageException($"invalid layout reference '{argument}': only one tag goes here");
            }

            foreach (var tag in tags.Where(t => !Registry.Reference.IsValidTag(t)))
            {
                throw new UsageException($"invalid layout reference '{argument}': '{tag}' is not a valid tag");
            }
        }

        if (rest.Length == 0)
        {
            throw new UsageException($"invalid layout reference '{argument}': it names no folder or tar file");
        }

        return (rest, tags.FirstOrDefault(), digest, [.. tags.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>Opens the target: a registry client with this side's flags, or the layout.</summary>
    public CommandTarget Open(Session session, bool write)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (Reference is not null)
        {
            return new CommandTarget(this, new RegistryClient(Reference, session.ClientOptions(Prefix), write));
        }

        var full = Path.GetFullPath(LayoutPath!, session.Context.WorkingDirectory);
        return new CommandTarget(this, OciLayout.Open(full, write, LayoutPath));
    }

    /// <summary>The tag or digest, or a usage error naming what is missing.</summary>
    public string RequireManifestReference() => ManifestReference
        ?? throw new UsageException($"'{this}' names no tag or digest; add :<tag> or @sha256:<digest>");

    /// <summary>The target as given: <c>name[:tag][@digest]</c>.</summary>
    public override string ToString() => Reference?.ToString()
        ?? Name + (Tag is null ? "" : ":" + Tag) + (Digest is { } digest ? "@" + digest : "");

    /// <summary>The target with this tag only.</summary>
    public string WithTag(string tag) => Reference?.WithTag(tag).ToString() ?? $"{Name}:{tag}";

    /// <summary>The target with this digest only.</summary>
    public string WithDigest(Digest digest) => Reference?.WithDigest(digest).ToString() ?? $"{Name}@{digest}";

    /// <summary>The target with a tag or a digest, whichever <paramref name="tagOrDigest"/> is.</summary>
    public string With(string tagOrDigest) =>
        Content.Digest.TryParse(tagOrDigest, out var digest, out _) ? WithDigest(digest) : WithTag(tagOrDigest);
}
