using System.Globalization;
using System.Text.Json;
using Coffer.Content;

namespace Coffer.Artifacts;

/// <summary>
/// Builds the manifest ORAS builds for a push: an image manifest with <c>artifactType</c>, the
/// empty config, one layer per file titled with its name, and a <c>created</c> annotation.
/// </summary>
public static class ManifestFactory
{
    /// <summary>Builds the manifest and its exact bytes.</summary>
    public static (ImageManifest Manifest, byte[] Bytes) Build(
        PushRequest request, IReadOnlyList<Descriptor> layers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(layers);
        var config = Descriptor.EmptyJson();
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
            ArtifactType = request.ArtifactType ?? MediaTypes.UnknownArtifact,
            Config = config,

            // An artifact with no files still needs one layer; image-spec 1.1 says to use the empty descriptor.
            Layers = layers.Count > 0 ? [.. layers] : [Descriptor.EmptyJson()],
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
