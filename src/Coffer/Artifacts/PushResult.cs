using Coffer.Content;

namespace Coffer.Artifacts;

/// <summary>What a push produced.</summary>
/// <param name="Manifest">The descriptor of the pushed manifest.</param>
/// <param name="ManifestBytes">The manifest exactly as pushed.</param>
/// <param name="ArtifactType">The artifact type written.</param>
/// <param name="Layers">The layers, with their titles.</param>
/// <param name="Tags">Every tag the manifest was pushed under.</param>
public sealed record PushResult(
    Descriptor Manifest, byte[] ManifestBytes, string ArtifactType, IReadOnlyList<Descriptor> Layers,
    IReadOnlyList<string> Tags);
