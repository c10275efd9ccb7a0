namespace Coffer.Testing.Sigstore.Servers;

/// <summary>The JWS algorithms <see cref="TestOidcIssuer"/> can sign ID tokens with.</summary>
public enum OidcSigningAlgorithm
{
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256 (what most providers, GitHub included, use).</summary>
    Rs256,

    /// <summary>ECDSA P-256 with SHA-256, signature as r‖s.</summary>
    Es256,
}
