namespace Coffer.Testing;

/// <summary>How a <see cref="RegistryServer"/> authenticates clients and which scheme it serves.</summary>
public enum RegistryMode
{
    /// <summary>Plain HTTP, no authentication: GET /v2/ answers 200.</summary>
    NoAuth,

    /// <summary>Plain HTTP with htpasswd (bcrypt) Basic authentication.</summary>
    Basic,

    /// <summary>HTTPS with a generated CA and htpasswd Basic authentication.</summary>
    Tls,

    /// <summary>Plain HTTP with Bearer tokens issued by a <see cref="TokenServer"/>.</summary>
    Token,
}
