using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coffer.Signing.Bundles;
using Coffer.Signing.Trust;

namespace Coffer.Signing.Verification;

/// <summary>
/// Verifies Sigstore bundles offline against one trusted root, following spec-notes §3:
/// <list type="number">
/// <item>§3.0 structure and version rules, and the fit of the material to the caller's policy;</item>
/// <item>§3.7 the signature over the artifact or the DSSE envelope;</item>
/// <item>§3.1 verified times from RFC 3161 timestamps and Rekor v1 signed entry timestamps;</item>
/// <item>§3.4–§3.6 each log entry: body against the bundle, inclusion proof, checkpoint, SET;</item>
/// <item>§3.2 the certificate chain to a trusted Fulcio CA at each verified time;</item>
/// <item>§3.3 the embedded SCTs; §3.8 the identity and issuer.</item>
/// </list>
/// It makes no network request. Any failure throws a <see cref="VerificationException"/>.
/// </summary>
public sealed class BundleVerifier
{
    private readonly TimeProvider _time;

    private readonly List<TrustedAuthority> _certificateAuthorities;

    private readonly List<TrustedAuthority> _timestampAuthorities;

    /// <summary>Creates a verifier for one trusted root; that root is the only source of trust.</summary>
    /// <exception cref="TrustedRootFormatException">The root holds a certificate that is not DER.</exception>
    public BundleVerifier(TrustedRoot trustedRoot, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(trustedRoot);
        CertificatePath.StartLoading();
        TrustedRoot = trustedRoot;
        _time = timeProvider ?? TimeProvider.System;
        _certificateAuthorities = Load(trustedRoot.CertificateAuthorities, "certificateAuthorities");
        _timestampAuthorities = Load(trustedRoot.TimestampAuthorities, "timestampAuthorities");
    }

    /// <summary>The trusted root.</summary>
    public TrustedRoot TrustedRoot { get; }

    /// <summary>Parses and verifies a bundle given as JSON.</summary>
    /// <exception cref="VerificationException">The bundle is malformed or does not verify.</exception>
    public VerificationResult Verify(ReadOnlySpan<byte> bundleJson, VerificationArtifact artifact,
        VerificationPolicy policy)
    {
        Bundle bundle;
        try
        {
            bundle = BundleSerializer.Parse(bundleJson);
        }
        catch (BundleFormatException e)
        {
            throw new VerificationException(VerificationStep.BundleStructure, e.Message, e);
        }

        return Verify(bundle, artifact, policy);
    }

    /// <summary>Verifies a bundle against an artifact under the caller's policy.</summary>
    /// <exception cref="VerificationException">The bundle does not verify; the message names the step.</exception>
    public VerificationResult Verify(Bundle bundle, VerificationArtifact artifact, VerificationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(policy);

        // §3.0 step 1: strict structure (also for bundles built in memory).
        try
        {
            BundleSerializer.Validate(bundle);
        }
        catch (BundleFormatException e)
        {
            throw new VerificationException(VerificationStep.BundleStructure, e.Message, e);
        }

        var material = bundle.VerificationMaterial!;
        var entries = material.TlogEntries ?? [];
        BundleRules.Check(bundle, entries, policy);

        // §3.0 step 4: the caller's policy picks the mode; the bundle must fit it.
        if (policy.IsKeyBased && material.PublicKey is null)
        {
            throw new VerificationException(VerificationStep.Policy,
                "a public key was given but the bundle carries a certificate; verify it with an identity and issuer")
            {
                Hint = "give the expected certificate identity and OIDC issuer instead of a key",
            };
        }

        if (!policy.IsKeyBased && material.PublicKey is not null)
        {
            throw new VerificationException(VerificationStep.Policy,
                $"the bundle was signed with a managed key (hint '{material.PublicKey.Hint}'); "
                + "verify it with that public key, not an identity")
            {
                Hint = "give the signer's public key (for example cosign.pub) instead of an identity",
            };
        }

        using var leaf = policy.IsKeyBased ? null : LoadLeaf(material);
        using var key = LoadKey(leaf, policy);

        // §3.7: the signature over the artifact, or over the DSSE PAE plus the subject match.
        var signature = bundle.MessageSignature?.Signature ?? bundle.DsseEnvelope!.Signatures![0].Sig!;
        InTotoStatement? statement = null;
        byte[]? paeSha256 = null;
        if (bundle.MessageSignature is { } message)
        {
            SignatureVerifier.VerifyMessage(message, artifact, key);
        }
        else
        {
            (statement, paeSha256) = SignatureVerifier.VerifyEnvelope(bundle.DsseEnvelope!, artifact, key);
        }

        var content = new SignedContent
        {
            Signature = signature,
            LeafDer = leaf?.RawData,
            KeySpki = key.Spki,
            Envelope = bundle.DsseEnvelope,
            PaeSha256 = paeSha256,
            Artifact = artifact,
        };

        // §3.1: RFC 3161 timestamps, each verified on its own; one per authority counts.
        var times = new List<VerifiedTimestamp>();
        var timestampFailures = new List<string>();
        var authorities = VerifyTimestamps(material, signature, times, timestampFailures);

        // §3.4–§3.6: the log entries, against trusted logs only.
        var skipped = new List<string>();
        var logEntries = new List<VerifiedLogEntry>();
        var logs = new HashSet<string>(StringComparer.Ordinal);
        var needsTimestamp = false;
        foreach (var entry in entries)
        {
            var verified = VerifyEntry(entry, content, times, skipped, out var withoutSet);
            if (verified is not null)
            {
                logEntries.Add(verified);
                logs.Add(verified.LogId);
                needsTimestamp |= withoutSet;
            }
        }

        CheckThresholds(policy, logs.Count, authorities, needsTimestamp, skipped, timestampFailures);
        CheckLogWindowsForTimestamps(entries, times);

        // §3.1: a certificate is only meaningful at a verified time.
        if (leaf is not null && times.Count == 0)
        {
            throw new VerificationException(VerificationStep.Timestamps,
                "the bundle has no verified time (no valid signed entry timestamp or RFC 3161 timestamp)"
                + Details(timestampFailures));
        }

        // §3.9 (GHSA-wqqc-jjcq-vfxm): every verified time must lie in the key's window.
        if (policy.PublicKeyValidFor is { } keyWindow)
        {
            if (times.Count == 0)
            {
                throw new VerificationException(VerificationStep.KeyValidity,
                    "the public key has a validity window but the bundle has no verified time");
            }

            if (times.FirstOrDefault(t => !keyWindow.Contains(t.Time)) is { } outside)
            {
                throw new VerificationException(VerificationStep.KeyValidity,
                    $"signature time {outside.Time:O} ({outside.Authority}) is outside the public key's "
                    + "validity window");
            }
        }

        var result = new VerificationResult
        {
            BundleVersion = bundle.Version,
            KeyHint = material.PublicKey?.Hint,
            KeyFingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(key.Spki)),
            VerifiedTimes = times,
            LogEntries = logEntries,
            Statement = statement,
        };
        if (leaf is null)
        {
            return result;
        }

        var issuer = VerifyCertificate(leaf, times);
        var scts = 0;
        if (policy.RequireSignedCertificateTimestamp)
        {
            // §3.3 step 4: at least one SCT from a trusted CT log must verify.
            var failures = new List<string>();
            scts = SctVerifier.CountValid(leaf, issuer, TrustedRoot.Ctlogs, failures);
            if (scts == 0)
            {
                throw new VerificationException(VerificationStep.CertificateTransparency,
                    "no embedded SCT verifies against a trusted CT log" + Details(failures));
            }
        }

        var (identity, oidcIssuer) = VerifyIdentity(leaf, policy);
        return new VerificationResult
        {
            BundleVersion = result.BundleVersion,
            SignerIdentity = identity,
            Issuer = oidcIssuer,
            Certificate = X509CertificateLoader.LoadCertificate(leaf.RawData),
            KeyFingerprint = result.KeyFingerprint,
            VerifiedTimes = times,
            LogEntries = logEntries,
            SignedCertificateTimestamps = scts,
            Statement = statement,
        };
    }

    private static X509Certificate2 LoadLeaf(VerificationMaterial material)
    {
        var certificates = material.Certificate is { } single
            ? [single]
            : material.X509CertificateChain!.Certificates!;
        X509Certificate2 leaf;
        try
        {
            leaf = X509CertificateLoader.LoadCertificate(certificates[0].RawBytes!);
        }
        catch (CryptographicException e)
        {
            throw new VerificationException(VerificationStep.Certificate, "the leaf certificate is not valid DER", e);
        }

        // §1.2 / §3.2 step 1: certificates after the leaf are never anchors; a root in the bundle is refused.
        for (var i = 1; i < certificates.Count; i++)
        {
            try
            {
                using var extra = X509CertificateLoader.LoadCertificate(certificates[i].RawBytes!);
                if (extra.SubjectName.RawData.AsSpan().SequenceEqual(extra.IssuerName.RawData))
                {
                    leaf.Dispose();
                    throw new VerificationException(VerificationStep.Certificate,
                        "the bundle's chain includes a self-signed root; "
                        + "trust anchors come only from the trusted root");
                }
            }
            catch (CryptographicException e)
            {
                leaf.Dispose();
                throw new VerificationException(VerificationStep.Certificate,
                    $"certificate {i} of the bundle's chain is not valid DER", e);
            }
        }

        return leaf;
    }

    private static PublicKeyVerifier LoadKey(X509Certificate2? leaf, VerificationPolicy policy)
    {
        try
        {
            return leaf is not null
                ? PublicKeyVerifier.FromCertificate(leaf)
                : PublicKeyVerifier.FromSpki(policy.PublicKey!);
        }
        catch (CryptographicException e)
        {
            throw new VerificationException(VerificationStep.Certificate, $"unusable public key: {e.Message}", e);
        }
    }

    private int VerifyTimestamps(VerificationMaterial material, byte[] signature, List<VerifiedTimestamp> times,
        List<string> failures)
    {
        var counted = new HashSet<string>(StringComparer.Ordinal);
        var timestamps = material.TimestampVerificationData?.Rfc3161Timestamps ?? [];
        for (var i = 0; i < timestamps.Count; i++)
        {
            var verified = TimestampAuthorityVerifier.Verify(
                timestamps[i].SignedTimestamp!, signature, _timestampAuthorities, out var failure);
            if (verified is not { } found)
            {
                // sigstore-go #43: a bad timestamp is skipped; thresholds decide.
                failures.Add($"timestamp {i}: {failure}");
                continue;
            }

            times.Add(found.Time);

            // sigstore-go #471: count one timestamp per authority (or per operator) toward thresholds.
            var authority = _timestampAuthorities[found.Authority];
            counted.Add(authority.Operator ?? $"#{found.Authority}");
        }

        return counted.Count;
    }

    private VerifiedLogEntry? VerifyEntry(TransparencyLogEntry entry, SignedContent content,
        List<VerifiedTimestamp> times, List<string> skipped, out bool withoutSet)
    {
        withoutSet = false;
        var keyId = entry.LogId!.KeyId!;
        var logId = Convert.ToBase64String(keyId);

        // §3.4 (cosign #1816): the log and its key come only from the trusted root; others are skipped.
        var log = FindLog(keyId);
        if (log is null)
        {
            skipped.Add($"log {logId} is not in the trusted root");
            return null;
        }

        PublicKeyVerifier logKey;
        try
        {
            logKey = PublicKeyVerifier.FromSpki(log.PublicKey!.RawBytes!);
        }
        catch (CryptographicException e)
        {
            throw new VerificationException(VerificationStep.TransparencyLog,
                $"the trusted key of log {log.BaseUrl} is unusable: {e.Message}", e);
        }

        using (logKey)
        {
            // §3.4: the body must say what the bundle says.
            try
            {
                LogEntryBodyVerifier.Verify(entry, content);
            }
            catch (FormatException e)
            {
                throw new VerificationException(VerificationStep.TransparencyLog,
                    "the log entry body has malformed base64", e);
            }

            // §3.5: the inclusion proof and its checkpoint.
            if (entry.InclusionProof is { } proof)
            {
                VerifyInclusion(entry, proof, log, logKey);
            }

            // §3.6: the SET makes the integrated time a verified time.
            DateTimeOffset? integrated = null;
            if (entry.InclusionPromise is not null)
            {
                if (!SignedEntryTimestampVerifier.Verify(entry, logKey))
                {
                    throw new VerificationException(VerificationStep.SignedEntryTimestamp,
                        $"the signed entry timestamp does not verify with the key of log {log.BaseUrl}");
                }

                var time = DateTimeOffset.FromUnixTimeSeconds(entry.IntegratedTime);

                // §3.1: an integrated time in the future is refused.
                if (time > _time.GetUtcNow())
                {
                    throw new VerificationException(VerificationStep.SignedEntryTimestamp,
                        $"the integrated time {time:O} is in the future");
                }

                // §2: the time must lie in the log key's validFor window (closed interval).
                if (log.PublicKey!.ValidFor?.Contains(time) != true)
                {
                    throw new VerificationException(VerificationStep.SignedEntryTimestamp,
                        $"the integrated time {time:O} is outside the validity of log {log.BaseUrl}");
                }

                integrated = time;
                times.Add(new VerifiedTimestamp(time, TimestampSource.TransparencyLog, log.BaseUrl ?? logId));
            }
            else
            {
                // §3.1: without a SET (Rekor v2) the integrated time means nothing; a TSA must give a time.
                withoutSet = true;
            }

            var kind = $"{entry.KindVersion!.Kind}/{entry.KindVersion.Version}";
            return new VerifiedLogEntry(logId, log.BaseUrl, entry.LogIndex, integrated, kind);
        }
    }

    private static void VerifyInclusion(TransparencyLogEntry entry, InclusionProof proof,
        TransparencyLogInstance log, PublicKeyVerifier logKey)
    {
        // §3.5: leaf hash of the canonicalized body, audit path at the proof's own index.
        var leafHash = MerkleInclusion.HashLeaf(entry.CanonicalizedBody);
        var root = MerkleInclusion.RootFromProof(proof.LogIndex, proof.TreeSize, leafHash, proof.Hashes ?? []);
        if (root is null)
        {
            throw new VerificationException(VerificationStep.InclusionProof,
                $"the audit path does not fit index {proof.LogIndex} of a tree of {proof.TreeSize}");
        }

        if (!root.AsSpan().SequenceEqual(proof.RootHash))
        {
            throw new VerificationException(VerificationStep.InclusionProof,
                "the audit path leads to another root hash than the proof's");
        }

        if (proof.Checkpoint?.Envelope is not { } envelope)
        {
            return;
        }

        // §3.5: the checkpoint is signed by the trusted log and commits to the same tree.
        var note = CheckpointVerifier.Verify(envelope, log, logKey);
        if (note.TreeSize != proof.TreeSize || !note.RootHash.AsSpan().SequenceEqual(proof.RootHash))
        {
            throw new VerificationException(VerificationStep.Checkpoint,
                "the checkpoint's tree size or root hash is not the inclusion proof's");
        }
    }

    private static void CheckThresholds(VerificationPolicy policy, int logs, int authorities, bool needsTimestamp,
        List<string> skipped, List<string> timestampFailures)
    {
        // §3.10: at least the required number of distinct trusted logs.
        if (logs < policy.TransparencyLogThreshold)
        {
            throw new VerificationException(VerificationStep.TransparencyLog,
                $"{logs} verified entries from trusted logs, {policy.TransparencyLogThreshold} required"
                + Details(skipped))
            {
                Hint = skipped.Count > 0
                    ? "the bundle comes from a log this trusted root does not list; check the trusted root"
                    : logs == 0
                        ? "the signature was not put in a transparency log (signed with --tlog-upload=false?); " +
                            "to accept it on the key alone, verify with --insecure-ignore-tlog"
                        : null,
            };
        }

        // §3.1: Rekor v2 gives no integrated time, so an RFC 3161 timestamp is mandatory.
        if (needsTimestamp && authorities == 0)
        {
            throw new VerificationException(VerificationStep.Timestamps,
                "the log entry has no signed entry timestamp and no RFC 3161 timestamp verifies"
                + Details(timestampFailures));
        }

        if (authorities < policy.SignedTimestampThreshold)
        {
            throw new VerificationException(VerificationStep.Timestamps,
                $"{authorities} distinct timestamp authorities verified, {policy.SignedTimestampThreshold} required"
                + Details(timestampFailures));
        }
    }

    private void CheckLogWindowsForTimestamps(List<TransparencyLogEntry> entries, List<VerifiedTimestamp> times)
    {
        // §2: a Rekor v2 entry is only as good as its log key at the (TSA) signing time.
        foreach (var entry in entries.Where(e => e.InclusionPromise is null))
        {
            var log = FindLog(entry.LogId!.KeyId!);
            var window = log?.PublicKey?.ValidFor;
            foreach (var time in times.Where(t => t.Source == TimestampSource.TimestampAuthority))
            {
                if (window is not null && !window.Contains(time.Time))
                {
                    throw new VerificationException(VerificationStep.TransparencyLog,
                        $"timestamp {time.Time:O} is outside the validity of log {log!.BaseUrl}");
                }
            }
        }
    }

    private X509Certificate2 VerifyCertificate(X509Certificate2 leaf, List<VerifiedTimestamp> times)
    {
        // §3.2 step 2: the Fulcio leaf profile.
        if (FulcioCertificate.CheckLeafProfile(leaf) is { } profile)
        {
            throw new VerificationException(VerificationStep.Certificate, profile);
        }

        X509Certificate2? issuer = null;
        foreach (var time in times)
        {
            // §3.2 step 4: each verified time must lie in the leaf's validity.
            if (time.Time < leaf.NotBefore.ToUniversalTime() || time.Time > leaf.NotAfter.ToUniversalTime())
            {
                throw new VerificationException(VerificationStep.Certificate,
                    $"the verified time {time.Time:O} ({time.Authority}) is outside the certificate's validity "
                    + $"{leaf.NotBefore.ToUniversalTime():O} to {leaf.NotAfter.ToUniversalTime():O}");
            }

            // §3.2 steps 2–3: some CA whose validFor holds the time must chain the leaf at that time.
            var reasons = new List<string>();
            X509Certificate2? found = null;
            foreach (var authority in _certificateAuthorities)
            {
                if (!authority.ValidFor.Contains(time.Time))
                {
                    reasons.Add($"{authority.Name}: not valid at that time");
                    continue;
                }

                found = CertificatePath.Validate(leaf, authority.Chain, time.Time, out var failure);
                if (found is not null)
                {
                    break;
                }

                reasons.Add($"{authority.Name}: {failure}");
            }

            if (found is null)
            {
                throw new VerificationException(VerificationStep.Certificate,
                    $"at {time.Time:O} the certificate does not chain to a trusted Fulcio CA" + Details(reasons));
            }

            issuer ??= found;
        }

        return issuer!;
    }

    private static (string Identity, string Issuer) VerifyIdentity(X509Certificate2 leaf, VerificationPolicy policy)
    {
        // §3.8: the issuer from extension .8 (or .1), the identity from any SAN value.
        List<string> names;
        string? issuer;
        try
        {
            names = FulcioCertificate.SubjectAlternativeNames(leaf);
            issuer = FulcioCertificate.Issuer(leaf);
        }
        catch (Exception e) when (e is System.Formats.Asn1.AsnContentException or CryptographicException
            or System.Text.DecoderFallbackException)
        {
            throw new VerificationException(VerificationStep.Identity, "the certificate's identity is malformed", e);
        }

        var identity = names.FirstOrDefault(policy.Identity!.Matches);
        if (identity is null)
        {
            throw new VerificationException(VerificationStep.Identity,
                $"no identity of the certificate ({string.Join(", ", names)}) matches {policy.Identity}");
        }

        if (!policy.Issuer!.Matches(issuer))
        {
            throw new VerificationException(VerificationStep.Identity,
                $"the certificate's issuer '{issuer ?? "(none)"}' does not match {policy.Issuer}");
        }

        return (identity, issuer!);
    }

    private TransparencyLogInstance? FindLog(byte[] keyId) => TrustedRoot.Tlogs.FirstOrDefault(l =>
        (l.LogId?.KeyId is { } id && id.AsSpan().SequenceEqual(keyId))
        || (l.CheckpointKeyId?.KeyId is { } checkpointId && checkpointId.AsSpan().SequenceEqual(keyId)));

    private static List<TrustedAuthority> Load(List<CertificateAuthority> authorities, string field)
    {
        var loaded = new List<TrustedAuthority>();
        foreach (var authority in authorities)
        {
            try
            {
                var chain = authority.CertChain!.Certificates!
                    .Select(c => X509CertificateLoader.LoadCertificate(c.RawBytes!))
                    .ToList();
                loaded.Add(new TrustedAuthority(authority.DisplayName, chain, authority.ValidFor!, authority.Operator));
            }
            catch (CryptographicException e)
            {
                throw new TrustedRootFormatException(
                    $"{field}: {authority.DisplayName} holds a malformed certificate", e);
            }
        }

        return loaded;
    }

    private static string Details(List<string> reasons) =>
        reasons.Count == 0 ? "" : $" ({string.Join("; ", reasons)})";
}
