using System.Text.Json;
using Coffer.Artifacts;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;
using Coffer.Signing.Bundles;
using Coffer.Signing.Verification;
using Coffer.Targets;

namespace Coffer.Signing.Oci;

/// <summary>
/// Sigstore bundles stored beside what they sign, as cosign v3 stores them: each bundle is the
/// one layer of a referrer manifest with <c>artifactType</c>
/// <c>application/vnd.dev.sigstore.bundle.v0.3+json</c> and <c>subject</c> set to the signed
/// manifest. The bundle's <c>messageSignature</c> is over the manifest's bytes, so its digest is
/// the manifest digest and <c>cosign verify-blob sha256:&lt;digest&gt;</c> checks it too.
/// </summary>
public sealed class OciSignatures
{
    /// <summary>The artifact type (and layer media type) of a bundle referrer.</summary>
    public const string BundleArtifactType = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /// <summary>The in-toto predicate cosign v3 uses for a plain signature of an image.</summary>
    public const string CosignSignPredicate = "https://sigstore.dev/cosign/sign/v1";

    private const int MaxBundleBytes = 1024 * 1024;
    private const int MaxCandidates = 32;

    private readonly ITarget _target;
    private readonly Referrers _referrers;

    /// <summary>Creates the signature store of a repository or a layout.</summary>
    public OciSignatures(ITarget target, Referrers referrers)
    {
        _target = target;
        _referrers = referrers;
    }

    /// <summary>Attaches a bundle to the manifest it signs.</summary>
    public Task<Descriptor> AttachAsync(
        Descriptor subject, Bundle bundle, string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var annotations = new Dictionary<string, string>
        {
            ["dev.sigstore.bundle.content"] = bundle.DsseEnvelope is null ? "message-signature" : "dsse-envelope",
        };
        return new ReferrerPusher(_target, _referrers).AttachAsync(
            subject, BundleArtifactType, BundleSerializer.SerializeToUtf8Bytes(bundle), annotations, operation,
            cancellationToken);
    }

    /// <summary>
    /// Finds a bundle among the subject's referrers that signs exactly its digest under the policy.
    /// </summary>
    /// <exception cref="VerificationException">
    /// No signature verified; the message says why for each one tried.
    /// </exception>
    public async Task<SignatureCheck> VerifyAsync(
        Descriptor subject, BundleVerifier verifier, VerificationPolicy policy, string operation,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(verifier);
        var digest = subject.ParsedDigest();
        var candidates = await _referrers.ListAsync(digest, BundleArtifactType, cancellationToken)
            .ConfigureAwait(false);
        if (candidates.Count == 0)
        {
            var place = _target.Kind == TargetKind.Registry ? "the registry" : "the layout";
            throw new VerificationException(VerificationStep.Policy,
                $"{operation}: {digest} has no Sigstore signature in {place}; sign it with coffer sign " +
                "(or push --sign)");
        }

        // Newest first: the index grows at the end, and a rotated key signs the latest entries.
        var failures = new List<string>();
        var hints = new List<string>();
        foreach (var candidate in candidates.Reverse().Take(MaxCandidates))
        {
            try
            {
                var bundle = await ReadBundleAsync(candidate, digest, operation, cancellationToken)
                    .ConfigureAwait(false);
                var result = verifier.Verify(bundle, VerificationArtifact.FromDigest(digest.ToString()), policy);

                // An attestation (an SBOM, a scan) about the artifact is not an approval of it.
                if (result.Statement is { } statement && statement.PredicateType != CosignSignPredicate)
                {
                    throw new CofferException(
                        $"it is an attestation ({statement.PredicateType}), not a signature");
                }

                return new SignatureCheck(subject, candidate, result);
            }
            catch (CofferException e)
            {
                failures.Add($"{candidate.Digest[..19]}…: {e.Message}");
                if (e.Hint is { } hint && !hints.Contains(hint))
                {
                    hints.Add(hint);
                }
            }
        }

        var checkedCount = candidates.Count > MaxCandidates
            ? $"the newest {MaxCandidates} of the {candidates.Count} signatures"
            : $"the {candidates.Count} signature(s)";
        throw new VerificationException(VerificationStep.Policy,
            $"{operation}: none of {checkedCount} of {digest} verified: {string.Join("; ", failures.Take(5))}" +
            (failures.Count > 5 ? $"; and {failures.Count - 5} more" : ""))
        {
            // What would have made a signature verify is worth keeping, once each.
            Hint = hints.Count > 0 ? string.Join("; ", hints.Take(3)) : null,
        };
    }

    private async Task<byte[]> ReadBundleAsync(
        Descriptor candidate, Digest subject, string operation, CancellationToken cancellationToken)
    {
        var fetched = await _target.FetchManifestAsync(candidate.ParsedDigest().ToString(), operation,
            cancellationToken).ConfigureAwait(false);
        ImageManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(fetched.Content, ContentJsonContext.Default.ImageManifest);
        }
        catch (JsonException e)
        {
            throw new CofferException($"the referrer is not a valid manifest: {e.Message}");
        }

        // The index is only a hint; the referrer itself must say what it signs.
        if (manifest?.Subject?.Digest != subject.ToString())
        {
            throw new CofferException($"the referrer's subject is not {subject}");
        }

        var layers = manifest.Layers.Where(l => l.MediaType.StartsWith("application/vnd.dev.sigstore.bundle",
            StringComparison.Ordinal)).ToList();
        if (layers.Count != 1 || manifest.Layers.Count != 1)
        {
            throw new CofferException("the referrer must hold exactly one Sigstore bundle layer");
        }

        return await _target.FetchBlobAsync(layers[0], MaxBundleBytes, operation, cancellationToken)
            .ConfigureAwait(false);
    }
}
