using Coffer.Content;
using Coffer.Signing.Verification;

namespace Coffer.Signing.Oci;

/// <summary>A signature found in the registry that verified.</summary>
/// <param name="Subject">The manifest it signs.</param>
/// <param name="Referrer">The referrer manifest holding the bundle.</param>
/// <param name="Result">What the verification established.</param>
public sealed record SignatureCheck(Descriptor Subject, Descriptor Referrer, VerificationResult Result);
