namespace Coffer.Http;

/// <summary>What kind of network a host names, judged from an IP literal (or <c>localhost</c>).</summary>
public enum AddressKind
{
    /// <summary>A DNS name or a public address.</summary>
    Public,

    /// <summary>127.0.0.0/8, ::1 or localhost.</summary>
    Loopback,

    /// <summary>169.254.0.0/16 or fe80::/10, where cloud metadata services live.</summary>
    LinkLocal,

    /// <summary>10/8, 172.16/12, 192.168/16, 100.64/10 or fc00::/7.</summary>
    Private,

    /// <summary>0.0.0.0 or ::.</summary>
    Unspecified,
}
