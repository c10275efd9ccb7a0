using System.Security.Cryptography.X509Certificates;
using Coffer.Signing.Trust;

namespace Coffer.Signing.Verification;

/// <summary>A CA or TSA of the trusted root with its certificates loaded once.</summary>
/// <param name="Name">A name for messages and results.</param>
/// <param name="Chain">The chain, issuing certificate first, trust anchor last.</param>
/// <param name="ValidFor">The validity window from the trusted root.</param>
/// <param name="Operator">The operator, for counting distinct authorities.</param>
internal sealed record TrustedAuthority(
    string Name, IReadOnlyList<X509Certificate2> Chain, ValidityPeriod ValidFor, string? Operator);
