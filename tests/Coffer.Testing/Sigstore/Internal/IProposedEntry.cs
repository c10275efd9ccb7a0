namespace Coffer.Testing.Sigstore.Internal;

/// <summary>A validated Rekor v1 proposed entry.</summary>
internal interface IProposedEntry
{
    /// <summary>The canonical body (keys sorted, no spaces): what the log stores and hashes.</summary>
    byte[] CanonicalBody();
}
