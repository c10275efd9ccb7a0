using Coffer.Content;
using Coffer.Registry;

namespace Coffer.Artifacts;

/// <summary>A manifest named as a source of an index, and the entry the index lists for it.</summary>
/// <param name="Source">The source as given: a tag, a digest, <c>:tag</c> or <c>@digest</c>.</param>
/// <param name="Manifest">The manifest as the registry served it.</param>
/// <param name="Entry">
/// Its descriptor for the index: media type, digest, size, the artifact type it states and, for an
/// image, the platform its config states.
/// </param>
public sealed record IndexSource(string Source, FetchedManifest Manifest, Descriptor Entry);
