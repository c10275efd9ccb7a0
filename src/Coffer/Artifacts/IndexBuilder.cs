using System.Text.Json;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;
using Coffer.Targets;

namespace Coffer.Artifacts;

/// <summary>
/// Reads the manifests an image index is made of, and the index itself, from one repository or
/// OCI layout, as <c>oras manifest index create|update</c> do: every entry of an image gets the
/// platform its config states, an artifact's entry gets none.
/// </summary>
public sealed class IndexBuilder
{
    private readonly ITarget _target;

    /// <summary>Creates a builder for the repository or layout the index lives in.</summary>
    public IndexBuilder(ITarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
    }

    /// <summary>
    /// What a source names in the index's repository: <c>:tag</c>, <c>@sha256:…</c>, a bare tag or
    /// digest, or a whole reference to the same repository.
    /// </summary>
    /// <returns>The tag or digest to fetch.</returns>
    /// <exception cref="UsageException">The source is malformed or names another repository.</exception>
    public static string TagOrDigest(string source, Reference index)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(index);
        if (source.StartsWith('@') || source.StartsWith(':') || !source.Contains('/', StringComparison.Ordinal))
        {
            return TagOrDigest(source);
        }

        if (!Reference.TryParse(source, out var reference, out var error))
        {
            throw new UsageException(error);
        }

        if (reference.Registry != index.Registry || reference.Repository != index.Repository)
        {
            throw new UsageException(
                $"'{source}' is in another repository; an index lists manifests of its own repository, " +
                $"{index.Registry}/{index.Repository}");
        }

        return reference.ManifestReference
            ?? throw new UsageException($"'{source}' names no tag or digest; add :<tag> or @sha256:<digest>");
    }

    /// <summary>
    /// What a source names in the index's OCI layout: <c>:tag</c>, <c>@sha256:…</c>, or a bare tag
    /// or digest. A layout is one repository, so a source names no path.
    /// </summary>
    /// <returns>The tag or digest to fetch.</returns>
    /// <exception cref="UsageException">The source is not a tag or digest.</exception>
    public static string TagOrDigest(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.StartsWith('@') || source.StartsWith(':'))
        {
            source = source[1..];
        }
        else if (source.Contains('/', StringComparison.Ordinal))
        {
            throw new UsageException(
                $"'{source}' names a path; an index in a layout lists manifests of that layout, " +
                "so give a tag, :<tag>, @sha256:<digest> or sha256:<digest>");
        }

        if (source.Contains(':', StringComparison.Ordinal))
        {
            return Digest.TryParse(source, out var digest, out var error)
                ? digest.ToString()
                : throw new UsageException($"'{source}' is not a tag or a digest: {error}");
        }

        return Reference.IsValidTag(source)
            ? source
            : throw new UsageException(
                $"'{source}' is not a tag or a digest; give a tag, :<tag>, @sha256:<digest> or sha256:<digest>");
    }

    /// <summary>Fetches a source manifest and makes its index entry.</summary>
    /// <param name="source">The source, in any form <see cref="TagOrDigest(string, Reference)"/> reads
    /// (<see cref="TagOrDigest(string)"/> for a layout).</param>
    /// <param name="operation">What this is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    public async Task<IndexSource> DescribeAsync(
        string source, string operation, CancellationToken cancellationToken = default)
    {
        var manifest = await _target.FetchManifestAsync(Resolve(source), operation, cancellationToken)
            .ConfigureAwait(false);
        var entry = manifest.ToDescriptor();
        if (MediaTypes.IsImageManifest(manifest.MediaType))
        {
            entry.ArtifactType = Parse(manifest, ContentJsonContext.Default.ImageManifest, operation).ArtifactType;
            entry.Platform = await PlatformResolver.ConfigPlatformAsync(_target, manifest.Content, operation,
                cancellationToken).ConfigureAwait(false);
        }
        else if (MediaTypes.IsIndex(manifest.MediaType))
        {
            entry.ArtifactType = Parse(manifest, ContentJsonContext.Default.ImageIndex, operation).ArtifactType;
        }
        else
        {
            throw new CofferException(
                $"{operation}: {source} is of type {manifest.MediaType}, not an image manifest or an index",
                "an index lists OCI or Docker manifests and indexes");
        }

        return new IndexSource(source, manifest, entry);
    }

    /// <summary>Fetches an index, refusing anything else.</summary>
    /// <param name="source">The index, in any form <see cref="DescribeAsync"/> reads a source.</param>
    /// <param name="operation">What this is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <returns>The index as served, and parsed.</returns>
    public async Task<(FetchedManifest Manifest, ImageIndex Index)> FetchIndexAsync(
        string source, string operation, CancellationToken cancellationToken = default)
    {
        var manifest = await _target.FetchManifestAsync(Resolve(source), operation, cancellationToken)
            .ConfigureAwait(false);
        if (!MediaTypes.IsIndex(manifest.MediaType))
        {
            throw new CofferException(
                $"{operation}: {source} is of type {manifest.MediaType}, not an index",
                "name an image index (coffer manifest fetch shows what a reference is)");
        }

        return (manifest, Parse(manifest, ContentJsonContext.Default.ImageIndex, operation));
    }

    /// <summary>The index's exact bytes: compact JSON, media types written as they are.</summary>
    public static byte[] Serialize(ImageIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            // The default encoder would write '+' as \u002B.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            JsonSerializer.Serialize(writer, index, ContentJsonContext.Default.ImageIndex);
        }

        return buffer.ToArray();
    }

    private string Resolve(string source) =>
        _target is Repository repository ? TagOrDigest(source, repository.Reference) : TagOrDigest(source);

    private static T Parse<T>(FetchedManifest manifest, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type,
        string operation)
    {
        try
        {
            return JsonSerializer.Deserialize(manifest.Content, type)
                ?? throw new CofferException($"{operation}: the manifest {manifest.Digest} is JSON null");
        }
        catch (JsonException e)
        {
            throw new CofferException($"{operation}: the manifest {manifest.Digest} is not valid JSON: {e.Message}");
        }
    }
}
