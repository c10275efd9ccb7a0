namespace Coffer.Signing.Keys;

/// <summary>The object identifiers of the key algorithms and curves Coffer recognises.</summary>
internal static class KeyOids
{
    /// <summary><c>id-ecPublicKey</c> (RFC 5480).</summary>
    public const string EcPublicKey = "1.2.840.10045.2.1";

    /// <summary><c>rsaEncryption</c> (RFC 8017).</summary>
    public const string Rsa = "1.2.840.113549.1.1.1";

    /// <summary><c>id-Ed25519</c> (RFC 8410).</summary>
    public const string Ed25519 = "1.3.101.112";

    /// <summary>NIST P-256 (<c>secp256r1</c>, <c>prime256v1</c>).</summary>
    public const string P256 = "1.2.840.10045.3.1.7";

    /// <summary>NIST P-384 (<c>secp384r1</c>).</summary>
    public const string P384 = "1.3.132.0.34";

    /// <summary>NIST P-521 (<c>secp521r1</c>).</summary>
    public const string P521 = "1.3.132.0.35";

    /// <summary>A readable name for an algorithm or curve identifier.</summary>
    public static string Describe(string? oid) => oid switch
    {
        EcPublicKey => "ECDSA",
        Rsa => "RSA",
        Ed25519 => "Ed25519",
        P256 => "P-256",
        P384 => "P-384",
        P521 => "P-521",
        null => "an unnamed (explicit) curve",
        _ => $"OID {oid}",
    };
}
