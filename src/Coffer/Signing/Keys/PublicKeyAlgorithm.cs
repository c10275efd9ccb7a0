namespace Coffer.Signing.Keys;

/// <summary>The kind of a loaded public key, which also fixes the hash used with it.</summary>
public enum PublicKeyAlgorithm
{
    /// <summary>ECDSA on NIST P-256 with SHA-256 (cosign's default).</summary>
    EcdsaP256,

    /// <summary>ECDSA on NIST P-384 with SHA-384.</summary>
    EcdsaP384,

    /// <summary>RSA (2048 to 8192 bits), PKCS#1 v1.5 signatures with SHA-256.</summary>
    Rsa,
}
