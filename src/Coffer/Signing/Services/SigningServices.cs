namespace Coffer.Signing.Services;

/// <summary>The service URLs one signing run uses, after the signing config and flags are applied.</summary>
/// <param name="Fulcio">The Fulcio base URL (keyless only).</param>
/// <param name="Rekor">The Rekor v1 base URL, or null to skip the transparency log.</param>
/// <param name="Timestamp">The RFC 3161 endpoint, or null to take no signed timestamp.</param>
public sealed record SigningServices(Uri? Fulcio, Uri? Rekor, Uri? Timestamp);
