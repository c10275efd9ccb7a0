using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coffer.Signing.Trust;

namespace Coffer.Signing.Verification;

/// <summary>
/// Verifies the SCTs embedded in a leaf certificate against the trusted CT logs
/// (spec-notes §3.3, RFC 6962 §3.2).
/// </summary>
internal static class SctVerifier
{
    /// <summary>The embedded SCT list extension.</summary>
    public const string SctListOid = "1.3.6.1.4.1.11129.2.4.2";

    /// <summary>The precertificate poison extension.</summary>
    public const string PoisonOid = "1.3.6.1.4.1.11129.2.4.3";

    private const int MaxScts = 16;

    /// <summary>Counts the embedded SCTs that verify; adds a reason per SCT that does not.</summary>
    public static int CountValid(X509Certificate2 leaf, X509Certificate2 issuer,
        IReadOnlyList<TransparencyLogInstance> ctlogs, List<string> failures)
    {
        var extension = leaf.Extensions[SctListOid];
        if (extension is null)
        {
            failures.Add("the certificate has no embedded SCT list");
            return 0;
        }

        List<byte[]> scts;
        byte[] tbs;
        try
        {
            var list = AsnDecoder.ReadOctetString(extension.RawData, AsnEncodingRules.DER, out _);
            scts = SplitList(list);
            tbs = PrecertificateTbs(leaf.RawData);
        }
        catch (Exception e) when (e is AsnContentException or FormatException or CryptographicException)
        {
            failures.Add($"the embedded SCT list is malformed ({e.Message})");
            return 0;
        }

        var issuerKeyHash = SHA256.HashData(issuer.PublicKey.ExportSubjectPublicKeyInfo());
        var valid = 0;
        foreach (var sct in scts)
        {
            var reason = VerifyOne(sct, tbs, issuerKeyHash, ctlogs);
            if (reason is null)
            {
                valid++;
            }
            else
            {
                failures.Add(reason);
            }
        }

        return valid;
    }

    /// <summary>
    /// The leaf's TBSCertificate with the SCT list and poison extensions removed (RFC 6962 §3.2).
    /// </summary>
    public static byte[] PrecertificateTbs(byte[] certificateDer)
    {
        var certificate = new AsnReader(certificateDer, AsnEncodingRules.DER).ReadSequence();
        var tbs = certificate.ReadSequence();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            while (tbs.HasData)
            {
                var tag = tbs.PeekTag();
                if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 3)
                {
                    // extensions [3] EXPLICIT SEQUENCE OF Extension: copy all but the two CT ones.
                    var wrapper = tbs.ReadSequence(tag);
                    var extensions = wrapper.ReadSequence();
                    using (writer.PushSequence(tag))
                    using (writer.PushSequence())
                    {
                        while (extensions.HasData)
                        {
                            var encoded = extensions.ReadEncodedValue();
                            var oid = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence()
                                .ReadObjectIdentifier();
                            if (oid is not (SctListOid or PoisonOid))
                            {
                                writer.WriteEncodedValue(encoded.Span);
                            }
                        }
                    }
                }
                else
                {
                    writer.WriteEncodedValue(tbs.ReadEncodedValue().Span);
                }
            }
        }

        return writer.Encode();
    }

    private static List<byte[]> SplitList(byte[] list)
    {
        // SignedCertificateTimestampList: opaque SerializedSCT<1..2^16-1> list<1..2^16-1>.
        if (list.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(list) != list.Length - 2)
        {
            throw new FormatException("SCT list length does not match");
        }

        var scts = new List<byte[]>();
        var offset = 2;
        while (offset < list.Length)
        {
            if (list.Length - offset < 2 || scts.Count >= MaxScts)
            {
                throw new FormatException("SCT list is truncated or too long");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(list.AsSpan(offset));
            offset += 2;
            if (length == 0 || list.Length - offset < length)
            {
                throw new FormatException("an SCT is truncated");
            }

            scts.Add(list[offset..(offset + length)]);
            offset += length;
        }

        return scts;
    }

    private static string? VerifyOne(byte[] sct, byte[] tbs, byte[] issuerKeyHash,
        IReadOnlyList<TransparencyLogInstance> ctlogs)
    {
        // RFC 6962 §3.2: version(1) ‖ log_id(32) ‖ timestamp(8) ‖ extensions<0..2^16-1> ‖
        // hash(1) ‖ signature algorithm(1) ‖ signature<0..2^16-1>.
        if (sct.Length < 1 + 32 + 8 + 2 || sct[0] != 0)
        {
            return "an SCT is not a version 1 SCT";
        }

        var logId = sct[1..33];
        var timestamp = BinaryPrimitives.ReadUInt64BigEndian(sct.AsSpan(33));
        var extensionsLength = BinaryPrimitives.ReadUInt16BigEndian(sct.AsSpan(41));
        var offset = 43 + extensionsLength;
        if (sct.Length < offset + 4)
        {
            return "an SCT is truncated";
        }

        var extensions = sct.AsSpan(43, extensionsLength);
        var signatureLength = BinaryPrimitives.ReadUInt16BigEndian(sct.AsSpan(offset + 2));
        if (sct.Length != offset + 4 + signatureLength)
        {
            return "an SCT has a wrong signature length";
        }

        var signature = sct.AsSpan(offset + 4, signatureLength);

        // §3.3 step 2: the CT log is chosen by key id, and its window must cover the SCT time.
        var ctlog = ctlogs.FirstOrDefault(l => l.LogId?.KeyId is { } id && logId.AsSpan().SequenceEqual(id));
        if (ctlog is null)
        {
            return $"SCT from unknown CT log {Convert.ToBase64String(logId)}";
        }

        // A time past the year 9999 is no DateTimeOffset; it must be refused, not converted.
        if (timestamp > (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return "an SCT has an impossible timestamp";
        }

        var time = DateTimeOffset.FromUnixTimeMilliseconds((long)timestamp);
        if (ctlog.PublicKey?.ValidFor is not { } window || !window.Contains(time))
        {
            return $"SCT time {time:O} is outside the validity of CT log {ctlog.BaseUrl}";
        }

        // §3.3 step 3: version ‖ certificate_timestamp(0) ‖ timestamp ‖ precert_entry(1) ‖
        // issuer_key_hash ‖ uint24 TBS ‖ uint16 extensions.
        var signed = new byte[1 + 1 + 8 + 2 + 32 + 3 + tbs.Length + 2 + extensions.Length];
        var span = signed.AsSpan();
        span[0] = 0;
        span[1] = 0;
        BinaryPrimitives.WriteUInt64BigEndian(span[2..], timestamp);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], 1);
        issuerKeyHash.CopyTo(span[12..]);
        span[44] = (byte)(tbs.Length >> 16);
        span[45] = (byte)(tbs.Length >> 8);
        span[46] = (byte)tbs.Length;
        tbs.CopyTo(span[47..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[(47 + tbs.Length)..], (ushort)extensions.Length);
        extensions.CopyTo(span[(49 + tbs.Length)..]);

        try
        {
            using var key = PublicKeyVerifier.FromSpki(ctlog.PublicKey.RawBytes!);
            return key.VerifyData(signed, signature)
                ? null
                : $"SCT signature does not verify with CT log {ctlog.BaseUrl}";
        }
        catch (CryptographicException e)
        {
            return $"CT log {ctlog.BaseUrl} has an unusable key ({e.Message})";
        }
    }
}
