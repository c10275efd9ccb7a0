using System.Globalization;
using System.Text.Json;
using Coffer.Content;

namespace Coffer.Artifacts;

/// <summary>
/// Builds the manifest ORAS builds for a push: an image manifest with <c>artifactType</c>, the
/// empty config, one layer per file titled with its name, and a <c>created</c> annotation. In the
/// image-spec 1.0 form there is no <c>artifactType</c>: the config is <c>{}</c> (or the
/// <c>--config</c> file) with the artifact type as its media type.
/// </summary>
public static class ManifestFactory
{
    /// <summary>
    /// The image-spec form a request takes, checked against its other settings as ORAS checks them:
    /// unset means 1.1, except that a config file without an artifact type means 1.0.
    /// </summary>
    /// <exception cref="Errors.UsageException">The settings contradict the form.</exception>
    public static ImageSpecVersion ImageSpecOf(PushRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spec = request.ImageSpec ?? (request.Config is not null && request.ArtifactType is null
            ? ImageSpecVersion.V1Dot0
            : ImageSpecVersion.V1Dot1);
        if (spec == ImageSpecVersion.V1Dot0 && request.Subject is not null)
        {
            throw new Errors.UsageException(
                "image-spec v1.0 has no subject field, so a referrer is always a v1.1 manifest (as ORAS makes " +
                "it); drop --image-spec v1.0");
        }

        if (spec == ImageSpecVersion.V1Dot0 && request.Config is not null && request.ArtifactType is not null)
        {
            throw new Errors.UsageException(
                "--artifact-type and --config cannot both be given for image-spec v1.0: the config's media type " +
                "is the artifact type there; write it as --config <file>:<type>");
        }

        if (spec == ImageSpecVersion.V1Dot1 && request.Config is not null && request.ArtifactType is null)
        {
            throw new Errors.UsageException(
                "an image-spec v1.1 artifact with --config needs --artifact-type; add one, or use --image-spec v1.0");
        }

        return spec;
    }

    /// <summary>
    /// The config a request gets when it names no config file: the empty descriptor for 1.1, and
    /// for 1.0 the same <c>{}</c> blob typed with the artifact type.
    /// </summary>
    public static Descriptor DefaultConfig(PushRequest request)
    {
        var config = Descriptor.EmptyJson();
        if (ImageSpecOf(request) == ImageSpecVersion.V1Dot0)
        {
            config.MediaType = request.ArtifactType ?? MediaTypes.UnknownConfig;
        }

        return config;
    }

    /// <summary>Builds the manifest and its exact bytes, with the default config.</summary>
    public static (ImageManifest Manifest, byte[] Bytes) Build(
        PushRequest request, IReadOnlyList<Descriptor> layers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Build(request, DefaultConfig(request), layers, now);
    }

    /// <summary>Builds the manifest and its exact bytes around a config already described.</summary>
    /// <param name="request">The push.</param>
    /// <param name="config">The config's descriptor; <c>$config</c> annotations are added to a copy.</param>
    /// <param name="layers">The layers, in order.</param>
    /// <param name="now">The time for the <c>created</c> annotation when the request fixes none.</param>
    public static (ImageManifest Manifest, byte[] Bytes) Build(
        PushRequest request, Descriptor config, IReadOnlyList<Descriptor> layers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(layers);
        var spec = ImageSpecOf(request);
        config = new Descriptor { MediaType = config.MediaType, Digest = config.Digest, Size = config.Size };
        if (request.FileAnnotations.TryGetValue("$config", out var configAnnotations))
        {
            config.Annotations = new SortedDictionary<string, string>(configAnnotations, StringComparer.Ordinal);
        }

        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (request.FileAnnotations.TryGetValue("$manifest", out var manifestAnnotations))
        {
            foreach (var (key, value) in manifestAnnotations)
            {
                annotations[key] = value;
            }
        }

        foreach (var (key, value) in request.Annotations)
        {
            annotations[key] = value;
        }

        if (!annotations.ContainsKey(AnnotationKeys.Created))
        {
            var created = (request.Created ?? now).ToUniversalTime();
            annotations[AnnotationKeys.Created] =
                created.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        var manifest = new ImageManifest
        {
            ArtifactType = spec == ImageSpecVersion.V1Dot0 ? null : request.ArtifactType ?? MediaTypes.UnknownArtifact,
            Config = config,

            // An artifact with no files still needs one layer; image-spec 1.1 says to use the empty
            // descriptor, which 1.0 does not know, so a 1.0 manifest lists none.
            Layers = layers.Count > 0 || spec == ImageSpecVersion.V1Dot0 ? [.. layers] : [Descriptor.EmptyJson()],
            Annotations = annotations,
            Subject = request.Subject is { } subject
                ? new Descriptor { MediaType = subject.MediaType, Digest = subject.Digest, Size = subject.Size }
                : null,
        };

        // Media types hold '+'; the default encoder would write it as \u002B, unlike ORAS.
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            JsonSerializer.Serialize(writer, manifest, ContentJsonContext.Default.ImageManifest);
        }

        return (manifest, buffer.ToArray());
    }

    /// <summary>Reads <c>SOURCE_DATE_EPOCH</c> (seconds since 1970), as reproducible builds define it.</summary>
    /// <returns>The time, or null when the value is unset.</returns>
    /// <exception cref="Errors.UsageException">The value is not a whole number of seconds.</exception>
    public static DateTimeOffset? SourceDateEpoch(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > 253402300799)
        {
            throw new Errors.UsageException(
                $"SOURCE_DATE_EPOCH '{value}' is not a number of seconds since 1970-01-01; unset it or fix it");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }
}
