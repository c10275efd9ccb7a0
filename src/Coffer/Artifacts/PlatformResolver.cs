using System.Text.Json;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;
using Coffer.Targets;

namespace Coffer.Artifacts;

/// <summary>
/// Finds the manifest for one platform (<c>--platform</c>): the matching entry of an index, or a
/// single manifest whose image config states a matching platform. The matching rules are
/// <see cref="PlatformSelector"/>'s.
/// </summary>
public static class PlatformResolver
{
    // Indexes of indexes are followed this deep, no further.
    private const int MaxDepth = 4;

    /// <summary>
    /// Picks the manifest for <paramref name="wanted"/> out of <paramref name="manifest"/>.
    /// </summary>
    /// <param name="repository">Where the index's entries and the configs are read from.</param>
    /// <param name="manifest">The manifest the reference names: an index or an image manifest.</param>
    /// <param name="wanted">The platform asked for.</param>
    /// <param name="operation">What this is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the look-ups.</param>
    /// <exception cref="CofferException">
    /// No entry of the index matches (the message lists the platforms it has), or a single manifest
    /// states another platform.
    /// </exception>
    public static async Task<PlatformMatch> SelectAsync(
        ITarget repository, FetchedManifest manifest, Platform wanted, string operation,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(wanted);
        Platform? chosen = null;
        for (var depth = 0; MediaTypes.IsIndex(manifest.MediaType); depth++)
        {
            if (depth == MaxDepth)
            {
                throw new CofferException(
                    $"{operation}: indexes nest more than {MaxDepth} deep; refusing to follow them further");
            }

            var index = ParseIndex(manifest, operation);
            var entry = PlatformSelector.Select(index.Manifests, wanted)
                ?? throw new CofferException(
                    $"{operation}: the index {manifest.Digest} has no manifest for {wanted}; it has " +
                    PlatformSelector.Describe(index.Manifests),
                    "give --platform one of the platforms listed");
            manifest = await repository.FetchManifestAsync(entry.ParsedDigest().ToString(), operation,
                cancellationToken).ConfigureAwait(false);
            chosen = entry.Platform;
        }

        if (chosen is not null)
        {
            return new PlatformMatch(manifest, chosen, FromIndex: true);
        }

        if (!MediaTypes.IsImageManifest(manifest.MediaType))
        {
            throw new CofferException(
                $"{operation}: the manifest is of type {manifest.MediaType}, which states no platform",
                "drop --platform for this reference");
        }

        var stated = await ConfigPlatformAsync(repository, manifest.Content, operation, cancellationToken)
            .ConfigureAwait(false);
        if (stated is not null && !PlatformSelector.Matches(stated, wanted))
        {
            throw new CofferException(
                $"{operation}: {manifest.Digest} is a single manifest for {stated}, not for {wanted}",
                "name a reference that has a manifest for that platform, or drop --platform");
        }

        return new PlatformMatch(manifest, stated, FromIndex: false);
    }

    /// <summary>
    /// The platform an image manifest's config states, or null when the config is not an OCI or
    /// Docker image config (an artifact's) or names no OS and architecture.
    /// </summary>
    /// <param name="repository">Where the config blob is read from.</param>
    /// <param name="manifest">The image manifest's bytes.</param>
    /// <param name="operation">What this is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    public static async Task<Platform?> ConfigPlatformAsync(
        ITarget repository, byte[] manifest, string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(manifest);
        ImageManifest? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(manifest, ContentJsonContext.Default.ImageManifest);
        }
        catch (JsonException e)
        {
            throw new CofferException($"{operation}: the manifest is not valid JSON: {e.Message}");
        }

        if (parsed?.Config is not { MediaType: MediaTypes.ImageConfig or MediaTypes.DockerImageConfig } config)
        {
            return null;
        }

        // An image config is a few KiB; the manifest limit is plenty and bounds what is read.
        var content = await repository.FetchBlobAsync(config, Repository.MaxManifestBytes, operation,
            cancellationToken).ConfigureAwait(false);
        try
        {
            var platform = JsonSerializer.Deserialize(content, ContentJsonContext.Default.Platform);
            var named = platform is not null
                && (!string.IsNullOrEmpty(platform.Os) || !string.IsNullOrEmpty(platform.Architecture));
            return named ? platform : null;
        }
        catch (JsonException)
        {
            // A config that is not the JSON an image config should be states no platform.
            return null;
        }
    }

    private static ImageIndex ParseIndex(FetchedManifest manifest, string operation)
    {
        try
        {
            return JsonSerializer.Deserialize(manifest.Content, ContentJsonContext.Default.ImageIndex)
                ?? throw new CofferException($"{operation}: the index {manifest.Digest} is JSON null");
        }
        catch (JsonException e)
        {
            throw new CofferException($"{operation}: the index {manifest.Digest} is not valid JSON: {e.Message}");
        }
    }
}
