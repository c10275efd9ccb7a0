using Coffer.Content;

namespace Coffer.Registry;

/// <summary>The result of a manifest push.</summary>
/// <param name="Digest">The digest of the pushed bytes.</param>
/// <param name="SubjectIndexed">True when the registry said (OCI-Subject) that it indexed the subject.</param>
internal sealed record PushedManifest(Digest Digest, bool SubjectIndexed);
