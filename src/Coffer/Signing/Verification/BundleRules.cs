using Coffer.Signing.Bundles;

namespace Coffer.Signing.Verification;

/// <summary>The structure and version rules of spec-notes §1.1 and §3.0 steps 2, 3 and 5.</summary>
internal static class BundleRules
{
    /// <summary>Throws a <see cref="VerificationException"/> when the bundle breaks a version rule.</summary>
    public static void Check(Bundle bundle, List<TransparencyLogEntry> entries, VerificationPolicy policy)
    {
        var version = bundle.Version;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];

            // §3.0 step 2: v0.1 entries rely on the SET, so it is required.
            if (version == BundleVersion.V01 && entry.InclusionPromise is null)
            {
                throw new VerificationException(VerificationStep.BundleStructure,
                    $"tlogEntries[{i}] of a v0.1 bundle has no inclusionPromise");
            }

            // §3.0 step 2 (sigstore-go #145): from v0.2 on, "at least", every entry needs a proof
            // with a checkpoint; a Rekor v2 entry (no SET) always does.
            var isRekorV2 = entry.InclusionPromise is null;
            if ((version >= BundleVersion.V02 || isRekorV2) && entry.InclusionProof?.Checkpoint?.Envelope is null)
            {
                throw new VerificationException(VerificationStep.BundleStructure,
                    $"tlogEntries[{i}] has no inclusion proof with a checkpoint, which a "
                    + (isRekorV2 ? "Rekor v2 entry" : $"{bundle.MediaType} bundle") + " requires");
            }

            // §3.0 step 5: a (logId, logIndex) pair counts once.
            if (!seen.Add($"{Convert.ToBase64String(entry.LogId!.KeyId!)}/{entry.LogIndex}"))
            {
                throw new VerificationException(VerificationStep.BundleStructure,
                    $"tlogEntries[{i}] repeats an entry of the same log");
            }
        }

        // §1.1: v0.1 and v0.2 keyless material is a chain; the single certificate came with v0.3.
        if (version < BundleVersion.V03 && bundle.VerificationMaterial!.Certificate is not null)
        {
            throw new VerificationException(VerificationStep.BundleStructure,
                $"a {bundle.MediaType} bundle must carry an x509CertificateChain, not a single certificate");
        }

        // §1.1: v0.3 keyless material is the single leaf unless the caller allows chains.
        if (version >= BundleVersion.V03 && bundle.VerificationMaterial!.X509CertificateChain is not null
            && !policy.AllowCertificateChain)
        {
            throw new VerificationException(VerificationStep.BundleStructure,
                "a v0.3 bundle must carry a single certificate, not an x509CertificateChain");
        }

        // §3.0 step 3: a DSSE envelope in a bundle has exactly one signature.
        if (bundle.DsseEnvelope is { } envelope && envelope.Signatures?.Count != 1)
        {
            throw new VerificationException(VerificationStep.BundleStructure,
                $"the DSSE envelope has {envelope.Signatures?.Count ?? 0} signatures; exactly one is required");
        }
    }
}
