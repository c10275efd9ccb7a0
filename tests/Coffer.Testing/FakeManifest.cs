namespace Coffer.Testing;

/// <summary>A manifest stored in a <see cref="FakeRegistry"/>.</summary>
/// <param name="Digest">The digest of <paramref name="Content"/>.</param>
/// <param name="MediaType">The Content-Type it was pushed with.</param>
/// <param name="Content">The exact bytes pushed.</param>
public sealed record FakeManifest(string Digest, string MediaType, ReadOnlyMemory<byte> Content);
