using System.Text;
using System.Text.Json;

namespace Coffer.Signing.Bundles;

/// <summary>
/// Reads and writes bundles in the proto3 JSON mapping. Reading is strict: it refuses malformed
/// JSON or base64, unknown media types, negative indices, missing material and a content that is
/// neither or both of a message signature and a DSSE envelope (spec-notes §3.0 step 1).
/// </summary>
public static class BundleSerializer
{
    /// <summary>Parses a bundle from UTF-8 JSON bytes and checks its structure.</summary>
    /// <exception cref="BundleFormatException">The bundle is malformed.</exception>
    public static Bundle Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > BundleLimits.MaxBundleBytes)
        {
            throw new BundleFormatException(
                $"bundle is {utf8Json.Length} bytes, more than the {BundleLimits.MaxBundleBytes} allowed");
        }

        Bundle? bundle;
        try
        {
            bundle = JsonSerializer.Deserialize(utf8Json, BundleJsonContext.Default.Bundle);
        }
        catch (JsonException e)
        {
            throw new BundleFormatException(DescribeJsonError("bundle", e), e);
        }

        if (bundle is null)
        {
            throw new BundleFormatException("bundle is JSON null, not an object");
        }

        Validate(bundle);
        return bundle;
    }

    /// <summary>Parses a bundle from a JSON string and checks its structure.</summary>
    /// <exception cref="BundleFormatException">The bundle is malformed.</exception>
    public static Bundle Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Reads a bundle file and checks its structure.</summary>
    /// <exception cref="BundleFormatException">The bundle is malformed or too large.</exception>
    public static Bundle ReadFile(string path)
    {
        var info = new FileInfo(path);
        if (info.Exists && info.Length > BundleLimits.MaxBundleBytes)
        {
            throw new BundleFormatException(
                $"bundle {path} is {info.Length} bytes, more than the {BundleLimits.MaxBundleBytes} allowed");
        }

        return Parse(File.ReadAllBytes(path));
    }

    /// <summary>
    /// Writes a bundle as compact JSON (int64 values as strings, bytes as padded base64). Producers
    /// should set <see cref="Bundle.MediaType"/> to <see cref="BundleMediaTypes.V03"/>.
    /// </summary>
    /// <exception cref="BundleFormatException">The bundle is not well formed.</exception>
    public static string Serialize(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        Validate(bundle);
        return JsonSerializer.Serialize(bundle, BundleJsonContext.Default.Bundle);
    }

    /// <summary>Writes a bundle as UTF-8 JSON bytes.</summary>
    /// <exception cref="BundleFormatException">The bundle is not well formed.</exception>
    public static byte[] SerializeToUtf8Bytes(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        Validate(bundle);
        return JsonSerializer.SerializeToUtf8Bytes(bundle, BundleJsonContext.Default.Bundle);
    }

    /// <summary>Parses an in-toto statement (a DSSE payload).</summary>
    /// <exception cref="BundleFormatException">The statement is malformed.</exception>
    public static InTotoStatement ParseStatement(ReadOnlySpan<byte> utf8Json)
    {
        InTotoStatement? statement;
        try
        {
            statement = JsonSerializer.Deserialize(utf8Json, BundleJsonContext.Default.InTotoStatement);
        }
        catch (JsonException e)
        {
            throw new BundleFormatException(DescribeJsonError("in-toto statement", e), e);
        }

        if (statement?.Subject is null || statement.Subject.Count == 0)
        {
            throw new BundleFormatException("in-toto statement has no subject");
        }

        if (statement.Subject.Count > BundleLimits.MaxSubjects)
        {
            throw new BundleFormatException(
                $"in-toto statement has {statement.Subject.Count} subjects, more than {BundleLimits.MaxSubjects}");
        }

        return statement;
    }

    /// <summary>Writes an in-toto statement as compact JSON bytes.</summary>
    public static byte[] SerializeStatement(InTotoStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return JsonSerializer.SerializeToUtf8Bytes(statement, BundleJsonContext.Default.InTotoStatement);
    }

    internal static string DescribeJsonError(string what, JsonException e)
    {
        var where = string.IsNullOrEmpty(e.Path) ? "" : $" at {e.Path}";
        if (e.InnerException is FormatException)
        {
            return $"{what} has malformed base64{where}";
        }

        if (e.Message.Contains("System.Byte[]", StringComparison.Ordinal))
        {
            return $"{what} has malformed base64{where}";
        }

        return $"{what} is not valid JSON{where}: {FirstSentence(e.Message)}";
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }

    internal static void Validate(Bundle bundle)
    {
        // §1.1: anything but the four known media type strings is refused.
        if (bundle.Version == BundleVersion.Unknown)
        {
            throw new BundleFormatException(
                $"bundle media type '{bundle.MediaType ?? "(none)"}' is not a supported bundle version");
        }

        // §3.0 step 1: verificationMaterial is required.
        var material = bundle.VerificationMaterial
            ?? throw new BundleFormatException("bundle has no verificationMaterial");
        ValidateMaterial(material);

        // §3.0 step 1: exactly one content type.
        if ((bundle.MessageSignature is null) == (bundle.DsseEnvelope is null))
        {
            throw new BundleFormatException(bundle.MessageSignature is null
                ? "bundle has neither a messageSignature nor a dsseEnvelope"
                : "bundle has both a messageSignature and a dsseEnvelope");
        }

        if (bundle.MessageSignature is { } message)
        {
            if (message.Signature is null || message.Signature.Length == 0)
            {
                throw new BundleFormatException("messageSignature has no signature");
            }

            if (message.MessageDigest is { } digest && (digest.Digest is null || digest.Algorithm is null))
            {
                throw new BundleFormatException("messageSignature.messageDigest lacks an algorithm or a digest");
            }
        }

        if (bundle.DsseEnvelope is { } envelope)
        {
            ValidateEnvelope(envelope);
        }
    }

    private static void ValidateMaterial(VerificationMaterial material)
    {
        var forms = (material.Certificate is null ? 0 : 1)
            + (material.X509CertificateChain is null ? 0 : 1)
            + (material.PublicKey is null ? 0 : 1);
        if (forms != 1)
        {
            throw new BundleFormatException(forms == 0
                ? "verificationMaterial has no certificate, x509CertificateChain or publicKey"
                : "verificationMaterial has more than one of certificate, x509CertificateChain and publicKey");
        }

        if (material.Certificate is { } certificate && IsEmpty(certificate.RawBytes))
        {
            throw new BundleFormatException("verificationMaterial.certificate has no rawBytes");
        }

        if (material.X509CertificateChain is { } chain)
        {
            // §1.2: an empty chain is invalid.
            if (chain.Certificates is null || chain.Certificates.Count == 0)
            {
                throw new BundleFormatException("verificationMaterial.x509CertificateChain is empty");
            }

            if (chain.Certificates.Count > BundleLimits.MaxCertificates)
            {
                throw new BundleFormatException(
                    $"x509CertificateChain has {chain.Certificates.Count} certificates, more than "
                    + $"{BundleLimits.MaxCertificates}");
            }

            if (chain.Certificates.Exists(c => c is null || IsEmpty(c.RawBytes)))
            {
                throw new BundleFormatException("x509CertificateChain has a certificate without rawBytes");
            }
        }

        var entries = material.TlogEntries ?? [];
        if (entries.Count > BundleLimits.MaxTlogEntries)
        {
            throw new BundleFormatException(
                $"bundle has {entries.Count} tlog entries, more than {BundleLimits.MaxTlogEntries}");
        }

        for (var i = 0; i < entries.Count; i++)
        {
            ValidateEntry(entries[i] ?? throw new BundleFormatException($"tlogEntries[{i}] is null"), i);
        }

        var timestamps = material.TimestampVerificationData?.Rfc3161Timestamps ?? [];
        if (timestamps.Count > BundleLimits.MaxTimestamps)
        {
            throw new BundleFormatException(
                $"bundle has {timestamps.Count} RFC 3161 timestamps, more than {BundleLimits.MaxTimestamps}");
        }

        if (timestamps.Exists(t => t is null || IsEmpty(t.SignedTimestamp)))
        {
            throw new BundleFormatException("an RFC 3161 timestamp has no signedTimestamp");
        }
    }

    private static void ValidateEntry(TransparencyLogEntry entry, int i)
    {
        // §3.0 step 1: negative log indices are refused.
        if (entry.LogIndex < 0)
        {
            throw new BundleFormatException($"tlogEntries[{i}] has a negative logIndex ({entry.LogIndex})");
        }

        if (entry.IntegratedTime < 0)
        {
            throw new BundleFormatException($"tlogEntries[{i}] has a negative integratedTime");
        }

        if (entry.LogId is null || IsEmpty(entry.LogId.KeyId))
        {
            throw new BundleFormatException($"tlogEntries[{i}] has no logId.keyId");
        }

        if (entry.KindVersion is null || string.IsNullOrEmpty(entry.KindVersion.Kind)
            || string.IsNullOrEmpty(entry.KindVersion.Version))
        {
            throw new BundleFormatException($"tlogEntries[{i}] has no kindVersion");
        }

        if (IsEmpty(entry.CanonicalizedBody))
        {
            throw new BundleFormatException($"tlogEntries[{i}] has no canonicalizedBody");
        }

        if (entry.InclusionPromise is { } promise && IsEmpty(promise.SignedEntryTimestamp))
        {
            throw new BundleFormatException($"tlogEntries[{i}].inclusionPromise has no signedEntryTimestamp");
        }

        if (entry.InclusionProof is { } proof)
        {
            if (proof.LogIndex < 0 || proof.TreeSize < 0)
            {
                throw new BundleFormatException(
                    $"tlogEntries[{i}].inclusionProof has a negative logIndex or treeSize");
            }

            if (IsEmpty(proof.RootHash))
            {
                throw new BundleFormatException($"tlogEntries[{i}].inclusionProof has no rootHash");
            }

            var hashes = proof.Hashes ?? [];
            if (hashes.Count > BundleLimits.MaxProofHashes)
            {
                throw new BundleFormatException(
                    $"tlogEntries[{i}].inclusionProof has {hashes.Count} hashes, more than "
                    + $"{BundleLimits.MaxProofHashes}");
            }

            if (hashes.Exists(h => h is null))
            {
                throw new BundleFormatException($"tlogEntries[{i}].inclusionProof has a null hash");
            }
        }
    }

    private static void ValidateEnvelope(DsseEnvelope envelope)
    {
        if (envelope.Payload is null || string.IsNullOrEmpty(envelope.PayloadType))
        {
            throw new BundleFormatException("dsseEnvelope lacks a payload or a payloadType");
        }

        if (envelope.Payload.Length > BundleLimits.MaxPayloadBytes)
        {
            throw new BundleFormatException(
                $"dsseEnvelope payload is {envelope.Payload.Length} bytes, more than "
                + $"{BundleLimits.MaxPayloadBytes}");
        }

        var signatures = envelope.Signatures ?? [];
        if (signatures.Count > BundleLimits.MaxDsseSignatures)
        {
            throw new BundleFormatException($"dsseEnvelope has {signatures.Count} signatures");
        }

        if (signatures.Exists(s => s is null || IsEmpty(s.Sig)))
        {
            throw new BundleFormatException("dsseEnvelope has a signature without sig bytes");
        }
    }

    private static bool IsEmpty(byte[]? bytes) => bytes is null || bytes.Length == 0;
}
