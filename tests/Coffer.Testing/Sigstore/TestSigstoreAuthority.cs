using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Coffer.Signing.Bundles;
using Coffer.Signing.Trust;

namespace Coffer.Testing.Sigstore;

/// <summary>
/// A complete private Sigstore for tests: Fulcio CA, CT log, Rekor v1 and v2 logs and a TSA, all
/// with throwaway keys. It mints bundles with <see cref="Sign"/> and describes itself as a
/// <see cref="TrustedRoot"/>.
/// </summary>
public sealed class TestSigstoreAuthority : IDisposable
{
    /// <summary>The default signer identity (a GitHub workflow URI).</summary>
    public const string Identity = "https://github.com/coffer-test/app/.github/workflows/release.yml@refs/heads/main";

    /// <summary>The default OIDC issuer.</summary>
    public const string Issuer = "https://token.actions.githubusercontent.com";

    /// <summary>Creates the authority; its clock is the current time, to the second.</summary>
    public TestSigstoreAuthority()
    {
        Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var start = Now.AddYears(-1);
        Fulcio = new TestFulcio(start, TimeSpan.FromDays(3 * 365));
        CtLog = new TestCtLog(start);
        RekorV1 = new TestTransparencyLog(TestLogKind.RekorV1, "rekor.coffer.test", start);
        RekorV2 = new TestTransparencyLog(TestLogKind.RekorV2, "log2026.rekor.coffer.test", start);
        Tsa = new TestTimestampAuthority(start, TimeSpan.FromDays(3 * 365));
    }

    /// <summary>The authority's "now"; default signing time is one hour before.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The Fulcio CA.</summary>
    public TestFulcio Fulcio { get; }

    /// <summary>The CT log that signs SCTs for Fulcio leaves.</summary>
    public TestCtLog CtLog { get; }

    /// <summary>The Rekor v1 log.</summary>
    public TestTransparencyLog RekorV1 { get; }

    /// <summary>The Rekor v2 log.</summary>
    public TestTransparencyLog RekorV2 { get; }

    /// <summary>The timestamp authority.</summary>
    public TestTimestampAuthority Tsa { get; }

    /// <summary>A trusted root that trusts exactly this authority's CA, logs and TSA.</summary>
    public TrustedRoot TrustedRoot() => new()
    {
        MediaType = Coffer.Signing.Trust.TrustedRoot.MediaTypeV01,
        Tlogs = [RekorV1.ToTrustedInstance(), RekorV2.ToTrustedInstance()],
        CertificateAuthorities = [Fulcio.ToTrustedAuthority()],
        Ctlogs = [CtLog.ToTrustedInstance()],
        TimestampAuthorities = [Tsa.ToTrustedAuthority()],
    };

    /// <summary>An in-toto statement with one subject for the artifact.</summary>
    public static byte[] Statement(byte[] artifact, string algorithm = "sha256")
    {
        var digest = algorithm == "sha512" ? SHA512.HashData(artifact) : SHA256.HashData(artifact);
        return Encoding.UTF8.GetBytes(new JsonObject
        {
            ["_type"] = "https://in-toto.io/Statement/v1",
            ["subject"] = new JsonArray(new JsonObject
            {
                ["name"] = "artifact.bin",
                ["digest"] = new JsonObject { [algorithm] = Convert.ToHexStringLower(digest) },
            }),
            ["predicateType"] = "https://slsa.dev/provenance/v1",
            ["predicate"] = new JsonObject { ["builder"] = new JsonObject { ["id"] = "coffer-test" } },
        }.ToJsonString());
    }

    /// <summary>The DSSE v1 pre-authentication encoding, written from the DSSE spec for the tests.</summary>
    public static byte[] Pae(string payloadType, byte[] payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        return
        [
            .. Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} ")),
            .. type,
            .. Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" {payload.Length} ")),
            .. payload,
        ];
    }

    /// <summary>Signs an artifact and returns the bundle with everything it was made from.</summary>
    public TestSignedBundle Sign(byte[] artifact, SignOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        options ??= new SignOptions();
        var signingTime = options.SigningTime ?? Now.AddHours(-1);
        var key = options.SigningKey ?? ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leaf = options.KeyBased ? null : Fulcio.IssueLeaf(key, signingTime, options.Leaf, CtLog);
        var pemVerifier = leaf is null ? key.ExportSubjectPublicKeyInfoPem() : leaf.ExportCertificatePem();

        // The signature: over the artifact, or over the PAE of an in-toto statement.
        byte[] signature;
        DsseEnvelope? envelope = null;
        if (options.Dsse)
        {
            var payload = Statement(artifact, options.SubjectAlgorithm);
            signature = key.SignData(Pae(DsseEnvelope.InTotoPayloadType, payload), HashAlgorithmName.SHA256,
                DSASignatureFormat.Rfc3279DerSequence);
            envelope = new DsseEnvelope
            {
                Payload = payload,
                PayloadType = DsseEnvelope.InTotoPayloadType,
                Signatures = [new DsseSignature { Sig = signature, KeyId = "" }],
            };
        }
        else
        {
            signature = key.SignData(artifact, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }

        var material = new VerificationMaterial { TlogEntries = [] };
        if (options.Log is { } log)
        {
            material.TlogEntries.Add(LogEntry(log, artifact, signature, envelope, leaf, key, pemVerifier,
                options, signingTime));
        }

        if (options.Timestamp)
        {
            var genTime = options.TimestampTime ?? signingTime.AddSeconds(3);
            material.TimestampVerificationData = new TimestampVerificationData
            {
                Rfc3161Timestamps =
                [
                    new Rfc3161Timestamp
                    {
                        SignedTimestamp = Tsa.Timestamp(signature, genTime, options.EmbedTimestampCertificate),
                    },
                ],
            };
        }

        var useChain = options.CertificateChain ?? options.Version < BundleVersion.V03;
        if (options.KeyBased)
        {
            material.PublicKey = new PublicKeyIdentifier
            {
                Hint = Convert.ToBase64String(SHA256.HashData(key.ExportSubjectPublicKeyInfo())),
            };
        }
        else if (useChain)
        {
            material.X509CertificateChain = new CertificateChain
            {
                Certificates =
                [
                    new RawCertificate { RawBytes = leaf!.RawData },
                    .. options.ExtraChainCertificates.Select(c => new RawCertificate { RawBytes = c }),
                ],
            };
        }
        else
        {
            material.Certificate = new RawCertificate { RawBytes = leaf!.RawData };
        }

        var bundle = new Bundle
        {
            MediaType = options.Version switch
            {
                BundleVersion.V01 => BundleMediaTypes.V01,
                BundleVersion.V02 => BundleMediaTypes.V02,
                _ => BundleMediaTypes.V03,
            },
            VerificationMaterial = material,
            DsseEnvelope = envelope,
            MessageSignature = envelope is not null ? null : new MessageSignature
            {
                MessageDigest = new HashOutput { Algorithm = "SHA2_256", Digest = SHA256.HashData(artifact) },
                Signature = signature,
            },
        };
        return new TestSignedBundle(bundle, artifact, key, leaf);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Fulcio.Dispose();
        CtLog.Dispose();
        RekorV1.Dispose();
        RekorV2.Dispose();
        Tsa.Dispose();
    }

    private TransparencyLogEntry LogEntry(TestLogKind kind, byte[] artifact, byte[] signature, DsseEnvelope? envelope,
        X509Certificate2? leaf, ECDsa key, string pemVerifier, SignOptions options, DateTimeOffset signingTime)
    {
        string body;
        string entryKind;
        string version;
        if (kind == TestLogKind.RekorV2)
        {
            // Rekor v2 logs DSSE as hashedrekord 0.0.2 over SHA-256(PAE).
            var digest = envelope is null
                ? SHA256.HashData(artifact)
                : SHA256.HashData(Pae(envelope.PayloadType!, envelope.Payload!));
            body = TestLogBodies.HashedRekordV002(digest, signature, leaf?.RawData,
                leaf is null ? key.ExportSubjectPublicKeyInfo() : null);
            (entryKind, version) = ("hashedrekord", "0.0.2");
        }
        else if (envelope is null)
        {
            body = TestLogBodies.HashedRekordV001(SHA256.HashData(artifact), signature, pemVerifier);
            (entryKind, version) = ("hashedrekord", "0.0.1");
        }
        else if (options.DsseLogKind == "intoto")
        {
            body = TestLogBodies.InTotoV002(envelope.Payload!, envelope.PayloadType!,
                SHA256.HashData(envelope.Payload!), signature, pemVerifier);
            (entryKind, version) = ("intoto", "0.0.2");
        }
        else
        {
            body = TestLogBodies.DsseV001(SHA256.HashData(envelope.Payload!), signature, pemVerifier);
            (entryKind, version) = ("dsse", "0.0.1");
        }

        if (options.EditBody is not null)
        {
            body = options.EditBody(body);
        }

        var log = kind == TestLogKind.RekorV1 ? RekorV1 : RekorV2;
        return log.Append(Encoding.UTF8.GetBytes(body), entryKind, version,
            options.IntegratedTime ?? signingTime.AddSeconds(5));
    }
}
