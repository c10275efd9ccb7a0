using Coffer.Content;
using Coffer.Registry;

namespace Coffer.Artifacts;

/// <summary>The manifest <see cref="PlatformResolver"/> chose for a wanted platform.</summary>
/// <param name="Manifest">The image manifest for the platform, as the registry served it.</param>
/// <param name="Platform">
/// The platform the index entry or the image config states; null when the reference is a single
/// manifest that states none, so nothing could be checked.
/// </param>
/// <param name="FromIndex">True when the manifest was picked out of an index.</param>
public sealed record PlatformMatch(FetchedManifest Manifest, Platform? Platform, bool FromIndex);
