namespace Coffer.Testing.Sigstore;

/// <summary>What a test Fulcio leaf certificate says.</summary>
public sealed class LeafOptions
{
    /// <summary>A URI SAN (GitHub workflow identities are URIs).</summary>
    public string? UriSan { get; set; } = TestSigstoreAuthority.Identity;

    /// <summary>An email SAN.</summary>
    public string? EmailSan { get; set; }

    /// <summary>A Fulcio otherName SAN (username, OID 1.3.6.1.4.1.57264.1.7).</summary>
    public string? OtherNameSan { get; set; }

    /// <summary>The OIDC issuer written to extension .8 (DER UTF8String).</summary>
    public string? Issuer { get; set; } = "https://token.actions.githubusercontent.com";

    /// <summary>The OIDC issuer written to the deprecated raw extension .1, when set.</summary>
    public string? IssuerV1 { get; set; }

    /// <summary>Start of validity; default: the signing time minus one minute.</summary>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>End of validity; default: ten minutes after <see cref="NotBefore"/>.</summary>
    public DateTimeOffset? NotAfter { get; set; }

    /// <summary>Whether to embed an SCT from the test CT log (default true).</summary>
    public bool EmbedSct { get; set; } = true;

    /// <summary>Extensions field of the SCT (non-empty like Static CT API logs).</summary>
    public byte[]? SctExtensions { get; set; }

    /// <summary>Sign the SCT with a key the trusted root does not know.</summary>
    public bool SctFromUnknownLog { get; set; }

    /// <summary>Edits the serialized SCT after it is signed, before it is embedded.</summary>
    public Func<byte[], byte[]>? EditSct { get; set; }

    /// <summary>Whether to include the codeSigning EKU (default true).</summary>
    public bool CodeSigning { get; set; } = true;
}
