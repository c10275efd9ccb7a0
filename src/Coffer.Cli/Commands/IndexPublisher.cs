using Coffer.Artifacts;
using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;
using Coffer.Targets;

namespace Coffer.Cli.Commands;

/// <summary>
/// What <c>manifest index create</c> and <c>update</c> share: their status lines, and the end of
/// the run, where the index is pushed and tagged, or written with <c>-o</c>, and reported.
/// </summary>
internal sealed class IndexPublisher
{
    private readonly CliContext _context;
    private readonly ParsedCommand _parsed;
    private readonly Session _session;
    private readonly TextWriter? _status;

    public IndexPublisher(CliContext context, ParsedCommand parsed, Session session)
    {
        _context = context;
        _parsed = parsed;
        _session = session;
        Output = parsed.Value("output");
        if (Output == "-" && session.Json)
        {
            throw new UsageException("-o - and --format json would both write to stdout; choose one");
        }

        // With -o - stdout holds only the index, so status lines go to stderr; JSON has none.
        _status = session.Json ? null : Output == "-" ? context.Stderr : context.Stdout;
    }

    /// <summary>The <c>-o</c> value: null to push, <c>-</c> for stdout, or a file.</summary>
    public string? Output { get; }

    /// <summary>The flags both commands take besides the remote ones.</summary>
    public static IReadOnlyList<OptionSpec> Flags { get; } =
    [
        new("artifact-type", null, "type", "the index's artifact type"),
        new("annotation", 'a', "key=value", "index annotation (repeatable)", Repeatable: true),
        new("annotation-file", null, "path", "JSON file whose $manifest object holds index annotations"),
        new("output", 'o', "file|-", "write the index to this file (- for stdout) instead of pushing it"),
        new("pretty", null, null, "indent the index written to stdout"),
        CommonOptions.Format,
    ];

    /// <summary>Prints one status line: the word padded as ORAS pads it, then the text.</summary>
    public void Status(string word, string text) => _status?.WriteLine($"{word,-8} {text}");

    /// <summary><c>Fetched</c>, with the digest unless the source already is one.</summary>
    public void Fetched(string source, FetchedManifest manifest) =>
        Status("Fetched", Named(source, manifest.Digest.ToString()));

    /// <summary>A source with its digest, or only the source when it is that digest.</summary>
    public static string Named(string source, string digest) =>
        source.TrimStart('@') == digest ? source : $"{digest} {source}";

    /// <summary>Refuses a source that is no tag or digest of the target, before anything is opened.</summary>
    public static void CheckSource(TargetArgument argument, string source)
    {
        if (argument.Reference is { } reference)
        {
            IndexBuilder.TagOrDigest(source, reference);
        }
        else
        {
            IndexBuilder.TagOrDigest(source);
        }
    }

    /// <summary>The -a and --annotation-file annotations; the file may only hold <c>$manifest</c>.</summary>
    public Dictionary<string, string> Annotations()
    {
        _parsed.Exclusive("annotation", "annotation-file");
        var annotations = PackArguments.Annotations(_parsed.Values("annotation"));
        foreach (var (key, values) in PackArguments.AnnotationFile(_parsed.Value("annotation-file"), _context))
        {
            if (key != "$manifest")
            {
                throw new UsageException(
                    $"--annotation-file names '{key}'; an index has no files or config, only $manifest");
            }

            foreach (var (name, value) in values)
            {
                annotations[name] = value;
            }
        }

        return annotations;
    }

    /// <summary>
    /// Pushes the index to the registry or layout under <paramref name="first"/> (a tag, or null for
    /// its digest) and the extra tags, or writes it with -o, then prints the result.
    /// </summary>
    public async Task<int> PublishAsync(
        ITarget target, TargetArgument argument, string? first, IReadOnlyList<string> extra, ImageIndex index,
        string packedWord)
    {
        var bytes = IndexBuilder.Serialize(index);
        var digest = Digest.Compute(bytes);
        var mediaType = index.MediaType ?? MediaTypes.ImageIndex;
        Status(packedWord, packedWord == "Packed" ? $"{digest.ShortHex} {mediaType}" : digest.ToString());
        var tags = new List<string>();
        if (Output is null)
        {
            var operation = $"push index {argument}";
            await target.PushManifestAsync(first ?? digest.ToString(), bytes, mediaType, operation,
                _context.Cancellation).ConfigureAwait(false);
            var pushed = first is null ? argument.WithDigest(digest) : argument.WithTag(first);
            _status?.WriteLine($"Pushed {argument.Kind} {pushed}");
            if (first is not null)
            {
                tags.Add(first);
            }

            foreach (var tag in extra.Where(t => t != first))
            {
                await target.PushManifestAsync(tag, bytes, mediaType, $"tag {argument.WithTag(tag)}",
                    _context.Cancellation).ConfigureAwait(false);
                _status?.WriteLine($"Tagged {tag}");
                tags.Add(tag);
            }
        }
        else if (Output == "-")
        {
            await BinaryOutput.WriteAsync(_context, _parsed.Flag("pretty") ? JsonOutput.Pretty(bytes) : bytes)
                .ConfigureAwait(false);
        }
        else
        {
            // Compact, as pushed: the file's digest is the one printed, ready for manifest push.
            await OutputFile.WriteAsync(Path.GetFullPath(Output, _context.WorkingDirectory), bytes,
                _context.Cancellation).ConfigureAwait(false);
        }

        if (_session.Json)
        {
            WriteJson(argument, digest, bytes.Length, mediaType, index, tags);
        }
        else
        {
            _status?.WriteLine($"Digest: {digest}");
        }

        return ExitCodes.Success;
    }

    private void WriteJson(
        TargetArgument argument, Digest digest, long size, string mediaType, ImageIndex index, List<string> tags)
    {
        var descriptor = new Descriptor
        {
            MediaType = mediaType,
            Digest = digest.ToString(),
            Size = size,
            ArtifactType = index.ArtifactType,
            Annotations = index.Annotations,
        };
        IndexDocument.From(argument, descriptor, index, Output is null, tags).WriteTo(_context.Stdout);
    }
}
