using Coffer.Content;

namespace Coffer.Registry;

/// <summary>The result of a manifest push.</summary>
/// <param name="Digest">The digest of the pushed bytes.</param>
/// <param name="SubjectIndexed">
/// True when the target indexed the manifest's subject itself: a registry that answered with OCI-Subject,
/// or a layout, whose referrers are found by a scan.
/// </param>
public sealed record PushedManifest(Digest Digest, bool SubjectIndexed);
