using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Coffer.Testing.Sigstore.Internal;

/// <summary>
/// A certificate transparency log that exists only as a key: it signs precertificate SCTs
/// (RFC 6962 §3.2) for <c>TestFulcioServer</c> to embed.
/// </summary>
internal sealed class CtLogSigner : IDisposable
{
    /// <summary>The X.509 extension that carries an embedded SCT list.</summary>
    public const string SctListOid = "1.3.6.1.4.1.11129.2.4.2";

    public CtLogSigner()
    {
        Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        PublicKeyDer = Key.ExportSubjectPublicKeyInfo();
        LogId = SHA256.HashData(PublicKeyDer);
        NotBefore = TestCertificateAuthority.TruncateToSeconds(DateTimeOffset.UtcNow.AddHours(-1));
    }

    public ECDsa Key { get; }

    public byte[] PublicKeyDer { get; }

    /// <summary>SHA-256 of the SPKI DER, the RFC 6962 log id.</summary>
    public byte[] LogId { get; }

    public DateTimeOffset NotBefore { get; }

    /// <summary>Makes the SCT-list extension for a leaf whose TBSCertificate (without the list) is given.</summary>
    public X509Extension CreateSctListExtension(byte[] tbsCertificate, byte[] issuerSpki, DateTimeOffset time)
    {
        var sct = SignPrecertificate(tbsCertificate, issuerSpki, time);

        // SignedCertificateTimestampList: uint16 total length, then uint16-prefixed SCTs.
        var list = new byte[2 + 2 + sct.Length];
        BinaryPrimitives.WriteUInt16BigEndian(list, (ushort)(2 + sct.Length));
        BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(2), (ushort)sct.Length);
        sct.CopyTo(list.AsSpan(4));

        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        writer.WriteOctetString(list);
        return new X509Extension(SctListOid, writer.Encode(), critical: false);
    }

    public void Dispose() => Key.Dispose();

    private byte[] SignPrecertificate(byte[] tbsCertificate, byte[] issuerSpki, DateTimeOffset time)
    {
        var timestamp = (ulong)time.ToUnixTimeMilliseconds();

        // RFC 6962 §3.2 digitally-signed input for a precert_entry, with no extensions.
        using var signed = new MemoryStream();
        signed.WriteByte(0);
        signed.WriteByte(0);
        WriteUInt64(signed, timestamp);
        signed.WriteByte(0);
        signed.WriteByte(1);
        signed.Write(SHA256.HashData(issuerSpki));
        signed.WriteByte((byte)(tbsCertificate.Length >> 16));
        signed.WriteByte((byte)(tbsCertificate.Length >> 8));
        signed.WriteByte((byte)tbsCertificate.Length);
        signed.Write(tbsCertificate);
        signed.WriteByte(0);
        signed.WriteByte(0);
        var signature = Key.SignData(
            signed.ToArray(), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        // SignedCertificateTimestamp: v1, log id, timestamp, no extensions, sha256/ecdsa signature.
        using var sct = new MemoryStream();
        sct.WriteByte(0);
        sct.Write(LogId);
        WriteUInt64(sct, timestamp);
        sct.WriteByte(0);
        sct.WriteByte(0);
        sct.WriteByte(4);
        sct.WriteByte(3);
        sct.WriteByte((byte)(signature.Length >> 8));
        sct.WriteByte((byte)signature.Length);
        sct.Write(signature);
        return sct.ToArray();
    }

    private static void WriteUInt64(Stream stream, ulong value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(buffer, value);
        stream.Write(buffer);
    }
}
