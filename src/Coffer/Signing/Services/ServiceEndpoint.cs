using Coffer.Signing.Trust;

namespace Coffer.Signing.Services;

/// <summary>One service entry of a signing config (<c>dev.sigstore.trustroot.v1.Service</c>).</summary>
/// <param name="Url">The service URL.</param>
/// <param name="MajorApiVersion">The API major version the service speaks.</param>
/// <param name="ValidFor">When the service may be used; null means always.</param>
/// <param name="Operator">Who runs it, if given.</param>
public sealed record ServiceEndpoint(Uri Url, int MajorApiVersion, ValidityPeriod? ValidFor, string? Operator)
{
    /// <summary>True when the service may be used at <paramref name="time"/>.</summary>
    public bool IsValidAt(DateTimeOffset time) => ValidFor is null || ValidFor.Contains(time);
}
