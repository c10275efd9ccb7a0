using System.Net;
using System.Text.Json;
using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Registry;

/// <summary>
/// Explains the ways some registries refuse a manifest PUT because of image-spec 1.1 fields, so the
/// error names the likely cause and what avoids it instead of a bare 4xx:
/// <list type="bullet">
/// <item><c>artifactType</c>: Amazon ECR, before it took OCI 1.1, answered <c>405 UNSUPPORTED:
/// Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'</c>;
/// strict registries answer 400 or 415 <c>MANIFEST_INVALID</c> naming the field. An image-spec 1.0
/// manifest has no such field.</item>
/// <item><c>subject</c>: Docker Hub, before it took OCI 1.1, looked the subject up as a blob and
/// answered <c>400 MANIFEST_BLOB_UNKNOWN</c>. A registry that refuses the field cannot hold
/// referrers at all.</item>
/// <item>config media type: quay.io accepts only the config types its operator allows, and
/// answers 400 or 415 <c>MANIFEST_INVALID</c> for an artifact's config.</item>
/// </list>
/// A push can change the manifest it makes (the hints name its flags); a copy keeps every manifest
/// byte for byte, since its digest is what it copies, so its hints say which shape was refused and
/// what is left to do instead.
/// </summary>
internal static class ManifestRefusal
{
    private static readonly string[] ArtifactTypeSigns =
    [
        "artifacttype", "unknown field", "invalid json syntax", "invalid parameter at 'imagemanifest'",
    ];

    /// <summary>The error with a hint for a known refusal of <paramref name="manifest"/>, or as it was.</summary>
    /// <param name="error">The registry's answer to the manifest PUT.</param>
    /// <param name="manifest">The manifest refused.</param>
    /// <param name="copying">True when the manifest is being copied, and so cannot be changed.</param>
    public static RegistryException Explain(RegistryException error, byte[] manifest, bool copying = false)
    {
        var shape = Shape.Read(manifest);
        var hint = shape is null
            ? null
            : SubjectHint(error, shape, copying) ?? ArtifactTypeHint(error, shape, copying)
                ?? ConfigHint(error, shape, copying);
        return hint is null
            ? error
            : new RegistryException(error.Operation, error.Method, error.Url, error.StatusCode, error.Errors, hint);
    }

    private static string? SubjectHint(RegistryException error, Shape shape, bool copying)
    {
        if (shape.Subject is null || error.StatusCode != HttpStatusCode.BadRequest
            || !error.HasCode("MANIFEST_BLOB_UNKNOWN"))
        {
            return null;
        }

        // Coffer uploads every blob before the manifest, so an unknown "blob" that is none of them
        // is the subject, looked up where blobs are.
        var text = Text(error);
        var aboutSubject = text.Contains(shape.Subject, StringComparison.OrdinalIgnoreCase)
            || !shape.Blobs.Any(b => text.Contains(b, StringComparison.OrdinalIgnoreCase));
        return aboutSubject
            ? $"the registry looked the subject {shape.Subject} up as a blob: it refuses manifests that name a " +
                "subject (Docker Hub answered this way before it supported OCI 1.1), so it cannot hold referrers; " +
                $"the referrers tag schema (--{(copying ? "to-" : "")}distribution-spec v1.1-referrers-tag) " +
                "would not help, as the referrer still names its subject"
            : null;
    }

    private static string? ArtifactTypeHint(RegistryException error, Shape shape, bool copying)
    {
        if (shape.ArtifactType is null
            || error.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.MethodNotAllowed
                or HttpStatusCode.UnsupportedMediaType))
        {
            return null;
        }

        var text = Text(error).ToLowerInvariant();
        if (!ArtifactTypeSigns.Any(s => text.Contains(s, StringComparison.Ordinal)))
        {
            return null;
        }

        const string field = "the image-spec 1.1 artifactType field (Amazon ECR answered this way before it " +
            "supported OCI 1.1)";
        const string cause = "the registry refuses " + field;
        if (shape.Subject is not null)
        {
            return cause + " and with it the subject field, so it cannot hold referrers";
        }

        if (copying)
        {
            return $"the destination refuses {(shape.IsIndex ? "an image index" : "an image manifest")} with " +
                $"{field}, and a copy cannot drop the field without changing the digest; " +
                (shape.IsIndex
                    ? "create the index there with coffer manifest index create, without --artifact-type"
                    : "push the files there with coffer push --image-spec v1.0 instead");
        }

        return shape.IsIndex
            ? cause + "; create the index without --artifact-type"
            : cause + "; push with --image-spec v1.0, which states the type as the config's media type instead";
    }

    private static string? ConfigHint(RegistryException error, Shape shape, bool copying)
    {
        if (shape.ConfigMediaType is not { } config
            || config is MediaTypes.ImageConfig or MediaTypes.DockerImageConfig
            || error.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType)
            || !error.HasCode("MANIFEST_INVALID"))
        {
            return null;
        }

        var cause = $"the registry may accept only some config media types (quay.io takes those its operator " +
            $"allows), and this manifest's config is {config}";
        if (copying && shape.Subject is null)
        {
            return cause + "; a copy cannot change the config without changing the digest, so ask the registry's " +
                "operator to allow it, or push the files there with coffer push --image-spec v1.0 and an " +
                "--artifact-type the registry allows";
        }

        return shape.Subject is not null
            ? cause + "; ask the registry's operator to allow it"
            : cause + "; with --image-spec v1.0 the config's media type is the --artifact-type, so give one the " +
                "registry allows, or ask its operator to allow this one";
    }

    private static string Text(RegistryException error) =>
        string.Join(" ", error.Errors.Select(e => $"{e.Code} {e.Message} {e.Detail}"));

    // The fields of a pushed manifest the rules look at.
    private sealed record Shape(
        bool IsIndex, string? ArtifactType, string? Subject, string? ConfigMediaType, IReadOnlyList<string> Blobs)
    {
        public static Shape? Read(byte[] manifest)
        {
            try
            {
                using var document = JsonDocument.Parse(manifest);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }

                var config = root.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object
                    ? c
                    : (JsonElement?)null;
                var blobs = new List<string>();
                if (config is { } configElement && Property(configElement, "digest") is { } configDigest)
                {
                    blobs.Add(configDigest);
                }

                if (root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array)
                {
                    blobs.AddRange(layers.EnumerateArray().Select(l => Property(l, "digest")).OfType<string>());
                }

                var subject = root.TryGetProperty("subject", out var s) ? Property(s, "digest") : null;
                return new Shape(
                    root.TryGetProperty("manifests", out _),
                    Property(root, "artifactType"),
                    subject,
                    config is { } element ? Property(element, "mediaType") : null,
                    blobs);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string? Property(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
                && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
    }
}
