using System.Security.Cryptography;
using Coffer.Signing.Bundles;

namespace Coffer.Signing.Verification;

/// <summary>
/// The signature over the artifact (spec-notes §3.7) and, for DSSE, the PAE signature and the
/// statement's subject match (§1.3).
/// </summary>
internal static class SignatureVerifier
{
    /// <summary>Checks a message signature (and its messageDigest hint) against the artifact.</summary>
    public static void VerifyMessage(MessageSignature message, VerificationArtifact artifact,
        PublicKeyVerifier key)
    {
        // §1.3 (sigstore-python #1651): a messageDigest that disagrees with the artifact is refused;
        // it is never used in place of the artifact.
        if (message.MessageDigest is { } hint)
        {
            var name = hint.Algorithm switch
            {
                "SHA2_256" => "sha256",
                "SHA2_384" => "sha384",
                "SHA2_512" => "sha512",
                _ => throw new VerificationException(VerificationStep.BundleStructure,
                    $"messageDigest algorithm '{hint.Algorithm}' is not supported"),
            };
            if (artifact.DigestOf(name) is { } actual && !actual.AsSpan().SequenceEqual(hint.Digest))
            {
                throw new VerificationException(VerificationStep.Artifact,
                    $"the bundle's messageDigest is not the {name} digest of the artifact ({artifact.Description})");
            }
        }

        var signature = message.Signature!;
        bool valid;
        if (key.IsEd25519)
        {
            // §3.7: pure Ed25519 needs the bytes; Ed25519ph (cosign hashedrekord) the SHA-512 digest.
            valid = (artifact.Bytes is { } bytes && key.VerifyData(bytes, signature))
                || (artifact.DigestOf("sha512") is { } sha512 && key.VerifyEd25519Prehash(sha512, signature));
        }
        else
        {
            var digest = artifact.DigestOf(key.HashAlgorithm)
                ?? throw new VerificationException(VerificationStep.Signature,
                    $"a {key.Algorithm} signature needs the artifact's "
                    + $"{VerificationArtifact.NameOf(key.HashAlgorithm)} digest, which "
                    + $"{artifact.Description} does not give");
            valid = key.VerifyDigest(digest, key.HashAlgorithm, signature);
        }

        if (!valid)
        {
            throw new VerificationException(VerificationStep.Signature,
                $"the signature does not verify over the artifact ({artifact.Description}) "
                + $"with the {key.Algorithm} key");
        }
    }

    /// <summary>Checks a DSSE envelope and returns its statement and SHA-256 of its PAE.</summary>
    public static (InTotoStatement Statement, byte[] PaeSha256) VerifyEnvelope(DsseEnvelope envelope,
        VerificationArtifact artifact, PublicKeyVerifier key)
    {
        // §1.3: the signature is over PAE(payloadType, payload).
        var pae = DsseEnvelope.PreAuthenticationEncoding(envelope.PayloadType!, envelope.Payload);
        if (!key.VerifyData(pae, envelope.Signatures![0].Sig))
        {
            throw new VerificationException(VerificationStep.Signature,
                $"the DSSE signature does not verify with the {key.Algorithm} key");
        }

        // §3.0 step 3: statement verification needs an in-toto payload.
        if (envelope.PayloadType != DsseEnvelope.InTotoPayloadType)
        {
            throw new VerificationException(VerificationStep.Artifact,
                $"DSSE payload type '{envelope.PayloadType}' is not {DsseEnvelope.InTotoPayloadType}");
        }

        InTotoStatement statement;
        try
        {
            statement = BundleSerializer.ParseStatement(envelope.Payload);
        }
        catch (BundleFormatException e)
        {
            throw new VerificationException(VerificationStep.Artifact, e.Message, e);
        }

        // §1.3: the artifact must match one subject digest (algorithm and value); names are not checked.
        var matched = false;
        foreach (var subject in statement.Subject!)
        {
            foreach (var (algorithm, value) in subject?.Digest ?? [])
            {
                if (artifact.DigestOf(algorithm) is { } digest
                    && string.Equals(value, Convert.ToHexStringLower(digest), StringComparison.OrdinalIgnoreCase))
                {
                    matched = true;
                }
            }
        }

        if (!matched)
        {
            throw new VerificationException(VerificationStep.Artifact,
                $"the artifact ({artifact.Description}) matches no subject digest of the in-toto statement");
        }

        return (statement, SHA256.HashData(pae));
    }
}
