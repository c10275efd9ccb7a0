namespace Coffer.Signing.Verification;

/// <summary>One signature line of a signed note.</summary>
/// <param name="KeyName">The signer's key name.</param>
/// <param name="KeyHint">The 4-byte key hint.</param>
/// <param name="Signature">The signature bytes.</param>
internal sealed record SignedNoteSignature(string KeyName, byte[] KeyHint, byte[] Signature);
