using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coffer.Signing.Bundles;
using Coffer.Signing.Trust;

namespace Coffer.Testing.Sigstore;

/// <summary>A test certificate-transparency log that signs RFC 6962 precertificate SCTs.</summary>
public sealed class TestCtLog : IDisposable
{
    /// <summary>The embedded SCT list extension OID.</summary>
    public const string SctListOid = "1.3.6.1.4.1.11129.2.4.2";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Creates a CT log whose key is valid from <paramref name="validFrom"/>.</summary>
    public TestCtLog(DateTimeOffset validFrom)
    {
        Spki = _key.ExportSubjectPublicKeyInfo();
        LogId = SHA256.HashData(Spki);
        ValidFor = new ValidityPeriod { Start = validFrom };
    }

    /// <summary>The SPKI DER of the log key.</summary>
    public byte[] Spki { get; }

    /// <summary>SHA-256 of <see cref="Spki"/>.</summary>
    public byte[] LogId { get; }

    /// <summary>The key's validity window written into the trusted root.</summary>
    public ValidityPeriod ValidFor { get; set; }

    /// <summary>The log's trusted-root entry.</summary>
    public TransparencyLogInstance ToTrustedInstance() => new()
    {
        BaseUrl = "https://ctfe.coffer.test/test",
        HashAlgorithm = "SHA2_256",
        PublicKey = new TrustedPublicKey
        {
            RawBytes = Spki,
            KeyDetails = "PKIX_ECDSA_P256_SHA_256",
            ValidFor = ValidFor,
        },
        LogId = new LogId { KeyId = LogId },
    };

    /// <summary>
    /// Signs an SCT over a precertificate TBS (the final TBS without the SCT extension), returning
    /// the serialized SCT.
    /// </summary>
    public byte[] CreateSct(byte[] tbs, byte[] issuerKeyHash, DateTimeOffset time, byte[]? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(tbs);
        ArgumentNullException.ThrowIfNull(issuerKeyHash);
        extensions ??= [];
        var timestamp = (ulong)time.ToUnixTimeMilliseconds();
        var signed = new List<byte> { 0, 0 };
        signed.AddRange(BigEndian64(timestamp));
        signed.AddRange([0, 1]);
        signed.AddRange(issuerKeyHash);
        signed.AddRange([(byte)(tbs.Length >> 16), (byte)(tbs.Length >> 8), (byte)tbs.Length]);
        signed.AddRange(tbs);
        signed.AddRange([(byte)(extensions.Length >> 8), (byte)extensions.Length]);
        signed.AddRange(extensions);
        var signature = _key.SignData([.. signed], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        var sct = new List<byte> { 0 };
        sct.AddRange(LogId);
        sct.AddRange(BigEndian64(timestamp));
        sct.AddRange([(byte)(extensions.Length >> 8), (byte)extensions.Length]);
        sct.AddRange(extensions);
        sct.AddRange([4, 3]);
        sct.AddRange([(byte)(signature.Length >> 8), (byte)signature.Length]);
        sct.AddRange(signature);
        return [.. sct];
    }

    /// <summary>The X.509 extension holding a SignedCertificateTimestampList of the given SCTs.</summary>
    public static X509Extension SctListExtension(IEnumerable<byte[]> scts)
    {
        var list = new List<byte>();
        foreach (var sct in scts)
        {
            list.AddRange([(byte)(sct.Length >> 8), (byte)sct.Length]);
            list.AddRange(sct);
        }

        byte[] tls = [(byte)(list.Count >> 8), (byte)list.Count, .. list];
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(tls);
        return new X509Extension(SctListOid, writer.Encode(), false);
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    private static byte[] BigEndian64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}
