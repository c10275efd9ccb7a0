namespace Coffer.Testing.Sigstore;

/// <summary>The kind of test transparency log.</summary>
public enum TestLogKind
{
    /// <summary>Rekor v1: ECDSA P-256 key, SETs and integrated times, origin "host - treeid".</summary>
    RekorV1,

    /// <summary>Rekor v2: Ed25519 key, checkpoints only, origin = host, hashedrekord 0.0.2.</summary>
    RekorV2,
}
