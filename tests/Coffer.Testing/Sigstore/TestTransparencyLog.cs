using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Coffer.Signing.Bundles;
using Coffer.Signing.Trust;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Coffer.Testing.Sigstore;

/// <summary>
/// A test Rekor log: a Merkle tree, a signing key, signed checkpoints (C2SP signed notes) and,
/// for Rekor v1, signed entry timestamps.
/// </summary>
public sealed class TestTransparencyLog : IDisposable
{
    private readonly ECDsa? _ecdsa;

    private readonly byte[]? _ed25519Private;

    private readonly byte[]? _ed25519Public;

    /// <summary>Creates a log of the given kind named <paramref name="host"/>, with a few filler leaves.</summary>
    public TestTransparencyLog(TestLogKind kind, string host, DateTimeOffset validFrom, int fillerLeaves = 5)
    {
        Kind = kind;
        Host = host;
        ValidFor = new ValidityPeriod { Start = validFrom };
        if (kind == TestLogKind.RekorV1)
        {
            _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            Spki = _ecdsa.ExportSubjectPublicKeyInfo();
            LogId = SHA256.HashData(Spki);
            Origin = $"{host} - 4242";
        }
        else
        {
            _ed25519Private = RandomNumberGenerator.GetBytes(Ed25519.SecretKeySize);
            _ed25519Public = new byte[Ed25519.PublicKeySize];
            Ed25519.GeneratePublicKey(_ed25519Private, 0, _ed25519Public, 0);
            Spki = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, .. _ed25519Public];
            LogId = SHA256.HashData([.. Encoding.UTF8.GetBytes(host), 0x0A, 0x01, .. _ed25519Public]);
            Origin = host;
        }

        for (var i = 0; i < fillerLeaves; i++)
        {
            Tree.Append(Encoding.UTF8.GetBytes($"filler {i}"));
        }
    }

    /// <summary>The log kind.</summary>
    public TestLogKind Kind { get; }

    /// <summary>The host name, which is also the signed-note key name.</summary>
    public string Host { get; }

    /// <summary>The key name on the log's signature lines; default: <see cref="Host"/>.</summary>
    public string? KeyName { get; set; }

    /// <summary>The checkpoint origin line.</summary>
    public string Origin { get; set; }

    /// <summary>The SPKI DER of the log key.</summary>
    public byte[] Spki { get; }

    /// <summary>The log id bundles name the log by.</summary>
    public byte[] LogId { get; }

    /// <summary>The key's validity window written into the trusted root.</summary>
    public ValidityPeriod ValidFor { get; set; }

    /// <summary>The Merkle tree of the log.</summary>
    public TestMerkleTree Tree { get; } = new();

    /// <summary>The log's trusted-root entry.</summary>
    public TransparencyLogInstance ToTrustedInstance() => new()
    {
        BaseUrl = $"https://{Host}",
        HashAlgorithm = "SHA2_256",
        PublicKey = new TrustedPublicKey
        {
            RawBytes = Spki,
            KeyDetails = Kind == TestLogKind.RekorV1 ? "PKIX_ECDSA_P256_SHA_256" : "PKIX_ED25519",
            ValidFor = ValidFor,
        },
        LogId = new LogId { KeyId = LogId },
    };

    /// <summary>
    /// Appends a body and returns the bundle entry with an inclusion proof and checkpoint for the
    /// tree as it is now, and for Rekor v1 a SET over <paramref name="integratedTime"/>.
    /// </summary>
    public TransparencyLogEntry Append(byte[] body, string kind, string version, DateTimeOffset integratedTime)
    {
        var index = Tree.Append(body);
        var size = Tree.Size;
        var root = Tree.Root(size);
        var entry = new TransparencyLogEntry
        {
            LogIndex = index + 1000,
            LogId = new LogId { KeyId = LogId },
            KindVersion = new KindVersion { Kind = kind, Version = version },
            CanonicalizedBody = body,
            InclusionProof = new InclusionProof
            {
                LogIndex = index,
                TreeSize = size,
                RootHash = root,
                Hashes = Tree.AuditPath(index, size),
                Checkpoint = new Checkpoint { Envelope = SignCheckpoint(size, root) },
            },
        };
        if (Kind == TestLogKind.RekorV1)
        {
            entry.IntegratedTime = integratedTime.ToUnixTimeSeconds();
            entry.InclusionPromise = new InclusionPromise { SignedEntryTimestamp = SignEntryTimestamp(entry) };
        }

        return entry;
    }

    /// <summary>A checkpoint note for a tree, signed by this log (extra lines go after the log's line).</summary>
    public string SignCheckpoint(long size, byte[] root, params string[] extraSignatureLines)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{Origin}\n{size}\n{Convert.ToBase64String(root)}\n");
        var line = SignatureLine(text);
        var extra = string.Concat(extraSignatureLines.Select(l => l + "\n"));
        return $"{text}\n{line}\n{extra}";
    }

    /// <summary>The signature line ("— name base64") of this log over a note text.</summary>
    public string SignatureLine(string text)
    {
        var message = Encoding.UTF8.GetBytes(text);
        byte[] hint;
        byte[] signature;
        if (_ecdsa is not null)
        {
            hint = LogId[..4];
            signature = _ecdsa.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        else
        {
            hint = LogId[..4];
            signature = new byte[Ed25519.SignatureSize];
            Ed25519.Sign(_ed25519Private, 0, message, 0, message.Length, signature, 0);
        }

        return $"\u2014 {KeyName ?? Host} {Convert.ToBase64String([.. hint, .. signature])}";
    }

    /// <summary>The Rekor v1 SET over the canonical summary of an entry.</summary>
    public byte[] SignEntryTimestamp(TransparencyLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var json = string.Create(CultureInfo.InvariantCulture,
            $"{{\"body\":\"{Convert.ToBase64String(entry.CanonicalizedBody!)}\","
            + $"\"integratedTime\":{entry.IntegratedTime},"
            + $"\"logID\":\"{Convert.ToHexStringLower(entry.LogId!.KeyId!)}\",\"logIndex\":{entry.LogIndex}}}");
        var key = _ecdsa ?? throw new InvalidOperationException("Rekor v2 logs make no SET");
        return key.SignData(Encoding.UTF8.GetBytes(json), HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <inheritdoc />
    public void Dispose() => _ecdsa?.Dispose();
}
