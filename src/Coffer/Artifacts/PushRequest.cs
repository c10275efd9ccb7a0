namespace Coffer.Artifacts;

/// <summary>What to push: files, their annotations and the artifact's type.</summary>
public sealed class PushRequest
{
    /// <summary>The files, in manifest order.</summary>
    public IReadOnlyList<FileReference> Files { get; init; } = [];

    /// <summary>The artifact type; ORAS's default when null.</summary>
    public string? ArtifactType { get; init; }

    /// <summary>Manifest annotations from <c>-a key=value</c>.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Annotations from <c>--annotation-file</c>: keys are file titles, <c>$manifest</c> or <c>$config</c>.
    /// </summary>
    public IReadOnlyDictionary<string, Dictionary<string, string>> FileAnnotations { get; init; } =
        new Dictionary<string, Dictionary<string, string>>();

    /// <summary>The working directory that file paths are relative to.</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Accept absolute paths and paths that climb out of the working directory.</summary>
    public bool DisablePathValidation { get; init; }

    /// <summary>The creation time; null means now. <c>SOURCE_DATE_EPOCH</c> sets it.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>
    /// The manifest this artifact refers to (attach). The manifest is then pushed by digest and
    /// recorded as a referrer of the subject.
    /// </summary>
    public Content.Descriptor? Subject { get; init; }

    /// <summary>How referrers are recorded when <see cref="Subject"/> is set.</summary>
    public Registry.ReferrersMode ReferrersMode { get; init; }

    /// <summary>
    /// The image-spec form of the manifest; null lets <see cref="ManifestFactory.ImageSpecOf"/>
    /// choose, as ORAS does (1.1, or 1.0 for a <see cref="Config"/> without an artifact type).
    /// </summary>
    public ImageSpecVersion? ImageSpec { get; init; }

    /// <summary>
    /// A file to push as the config blob (<c>--config</c>), with its media type (default
    /// <c>application/vnd.unknown.config.v1+json</c>); null for the empty config.
    /// </summary>
    public FileReference? Config { get; init; }

    /// <summary>How many blobs upload at once.</summary>
    public int Concurrency { get; init; } = 5;
}
