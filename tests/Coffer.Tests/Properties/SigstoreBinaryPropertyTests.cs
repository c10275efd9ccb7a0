using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Coffer.Signing.Bundles;
using Coffer.Signing.Keyless;
using Coffer.Signing.Keys;
using Coffer.Signing.Services;
using Coffer.Signing.Trust;
using Coffer.Signing.Verification;
using Coffer.Testing.Sigstore;
using Coffer.Testing.Sigstore.Servers;
using CsCheck;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Xunit.Abstractions;

namespace Coffer.Tests.Properties;

/// <summary>
/// The parsers of binary Sigstore input (SCT lists, RFC 3161 timestamps, certificate fields, public
/// keys and signatures, checkpoints, the answers of Rekor, Fulcio and a TSA, and every binary field
/// of a bundle), fed real samples made by the test authority and servers, mutated at the byte,
/// DER-length and TLS-length level. Each input either succeeds or ends, quickly, in the failure
/// that verification or signing reports as a clean error.
/// </summary>
public sealed class SigstoreBinaryPropertyTests(ITestOutputHelper output)
{
    private static readonly byte[] Artifact = "coffer fuzzed artifact\n"u8.ToArray();

    [Fact]
    public void SctList_CountValid_ReportsEveryProblemAsAFailure_NeverThrows()
    {
        using var authority = new TestSigstoreAuthority();
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issuer = authority.Fulcio.Intermediate;
        var notBefore = authority.Now.AddMinutes(-5);
        var request = new CertificateRequest("CN=sct-fuzz", leafKey, HashAlgorithmName.SHA256);

        // Another extension keeps the extensions field in the TBS once the SCT list is taken out.
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));

        var generator = X509SignatureGenerator.CreateForECDsa(issuerKey);
        X509Certificate2 Leaf() =>
            request.Create(issuer.SubjectName, generator, notBefore, notBefore.AddMinutes(10), [0x01, 0x23]);

        // The SCTs sign the leaf's TBS without the SCT list, so an unmutated list verifies.
        byte[] tbs;
        using (var precertificate = Leaf())
        {
            tbs = SctVerifier.PrecertificateTbs(precertificate.RawData);
        }

        var issuerKeyHash = SHA256.HashData(issuer.PublicKey.ExportSubjectPublicKeyInfo());
        var plain = authority.CtLog.CreateSct(tbs, issuerKeyHash, notBefore);
        var withExtensions = authority.CtLog.CreateSct(tbs, issuerKeyHash, notBefore, [0, 0, 5, 1, 2, 3, 4, 5]);
        using var stranger = new TestCtLog(notBefore.AddYears(-1));
        var unknown = stranger.CreateSct(tbs, issuerKeyHash, notBefore);
        byte[][] scts = [plain, withExtensions, unknown];
        byte[][] lists =
        [
            TestCtLog.SctListExtension([plain]).RawData,
            TestCtLog.SctListExtension([withExtensions, unknown, plain]).RawData,
        ];

        // Half the inputs mutate the whole extension value; half mutate one SCT and frame it
        // correctly, so that mutations reach the fields inside it.
        var gen = Gen.OneOf(
            Fuzz.MutatedDer(lists),
            Gen.Select(Fuzz.MutatedDer(scts), sct => TestCtLog.SctListExtension([sct]).RawData));
        var ctlogs = authority.TrustedRoot().Ctlogs;

        var accepted = Fuzz.Run(output, "SctVerifier.CountValid", gen, extension =>
        {
            request.CertificateExtensions.Add(new X509Extension(SctVerifier.SctListOid, extension, false));
            try
            {
                using var leaf = Leaf();
                var failures = new List<string>();
                var valid = SctVerifier.CountValid(leaf, issuer, ctlogs, failures);
                Assert.True(valid > 0 || failures.Count > 0, "no SCT verified and no reason was given");
                return valid > 0;
            }
            finally
            {
                request.CertificateExtensions.RemoveAt(request.CertificateExtensions.Count - 1);
            }
        }, _ => false, 3000);

        Assert.True(accepted > 0, "not even the unmutated SCT lists verified");
    }

    [Fact]
    public void TimestampAuthority_Verify_ReportsEveryProblemAsAFailure_NeverThrows()
    {
        using var authority = new TestSigstoreAuthority();
        var signature = RandomNumberGenerator.GetBytes(71);
        var genTime = authority.Now.AddMinutes(-30);
        var tsa = authority.Tsa;
        var authorities = new List<TrustedAuthority>
        {
            new(tsa.Name, [tsa.Leaf, tsa.Root], tsa.ValidFor, null),
        };
        var gen = Fuzz.MutatedDer(
            tsa.Timestamp(signature, genTime),
            tsa.Timestamp(signature, genTime, embedCertificate: false),
            tsa.TimestampToken(SHA256.HashData(signature), genTime));

        var accepted = Fuzz.Run(output, "TimestampAuthorityVerifier.Verify", gen, token =>
        {
            var verified = TimestampAuthorityVerifier.Verify(token, signature, authorities, out var failure);
            Assert.True(verified is not null || failure.Length > 0, "a refused timestamp gave no reason");
            return verified is not null;
        }, _ => false, 4000);

        Assert.True(accepted > 0, "not even the unmutated timestamps verified");
    }

    [Fact]
    public void FulcioCertificate_ExtensionValues_ReadOrFailAsTheVerifierExpects()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var utf8 = new AsnWriter(AsnEncodingRules.DER);
        utf8.WriteCharacterString(UniversalTagNumber.UTF8String, TestSigstoreAuthority.Issuer);
        var addresses = new AsnWriter(AsnEncodingRules.DER);
        using (addresses.PushSequence())
        {
            addresses.WriteOctetString([127, 0, 0, 1], new Asn1Tag(TagClass.ContextSpecific, 7));
            addresses.WriteOctetString(new byte[16], new Asn1Tag(TagClass.ContextSpecific, 7));
            addresses.WriteCharacterString(UniversalTagNumber.IA5String, "ci.coffer.test",
                new Asn1Tag(TagClass.ContextSpecific, 2));
        }

        (string Oid, byte[] Value)[] samples =
        [
            ("2.5.29.17", TestFulcio.SubjectAltName(TestSigstoreAuthority.Identity, null, null)),
            ("2.5.29.17", TestFulcio.SubjectAltName("https://a.test/x", "ci@coffer.test", "octocat")),
            ("2.5.29.17", addresses.Encode()),
            (FulcioCertificate.IssuerV2Oid, utf8.Encode()),
            (FulcioCertificate.IssuerV1Oid, Encoding.UTF8.GetBytes(TestSigstoreAuthority.Issuer)),
            ("2.5.29.15", new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true).RawData),
            ("2.5.29.37", new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3")], false).RawData),
            ("2.5.29.19", new X509BasicConstraintsExtension(false, false, 0, true).RawData),
        ];
        var gen = Gen.Select(Gen.Int[0, samples.Length - 1], Gen.Int[0, 8], Gen.Int, (index, count, seed) =>
            (samples[index].Oid, Fuzz.MutateDer(samples[index].Value, count, new Random(seed))));
        var now = DateTimeOffset.UtcNow;

        // Create, not CreateSelfSigned, which reads the key usage back and refuses a mutated one itself.
        var generator = X509SignatureGenerator.CreateForECDsa(key);
        var issuerName = new X500DistinguishedName("CN=fulcio-fuzz-ca");

        var accepted = Fuzz.Run(output, "FulcioCertificate extensions", gen, input =>
        {
            var request = new CertificateRequest("CN=fulcio-fuzz", key, HashAlgorithmName.SHA256);
            foreach (var (oid, value) in samples.DistinctBy(s => s.Oid))
            {
                request.CertificateExtensions.Add(
                    new X509Extension(oid, oid == input.Oid ? input.Item2 : value, oid == "2.5.29.17"));
            }

            using var certificate = request.Create(
                issuerName, generator, now.AddMinutes(-1), now.AddMinutes(10), [7]);
            return ReadAsTheVerifierDoes(certificate);
        }, _ => false, 3000);

        Assert.True(accepted > 0, "not even the unmutated extensions were read");
    }

    [Fact]
    public void SigningCertificate_MutatedDer_LoadsAndReadsOrFailsAsTheVerifierExpects()
    {
        using var authority = new TestSigstoreAuthority();
        using var plain = authority.Sign(Artifact);
        using var named = authority.Sign(Artifact, new SignOptions
        {
            Leaf = new LeafOptions
            {
                EmailSan = "ci@coffer.test",
                OtherNameSan = "octocat",
                IssuerV1 = TestSigstoreAuthority.Issuer,
                SctExtensions = [0x00, 0x00, 0x02, 0xAB, 0xCD],
            },
        });
        var issuer = authority.Fulcio.Intermediate;
        var chain = new List<X509Certificate2> { issuer, authority.Fulcio.Root };
        var ctlogs = authority.TrustedRoot().Ctlogs;
        var at = authority.Now.AddHours(-1);
        var gen = Fuzz.MutatedDer(plain.Certificate!.RawData, named.Certificate!.RawData);

        var accepted = Fuzz.Run(output, "signing certificate DER", gen, der =>
        {
            // BundleVerifier.LoadLeaf: a certificate that does not load is "not valid DER".
            X509Certificate2 leaf;
            try
            {
                leaf = X509CertificateLoader.LoadCertificate(der);
            }
            catch (CryptographicException)
            {
                return false;
            }

            using (leaf)
            {
                // BundleVerifier.LoadKey turns a CryptographicException into "unusable public key".
                try
                {
                    using var key = PublicKeyVerifier.FromCertificate(leaf);
                }
                catch (CryptographicException)
                {
                    return false;
                }

                if (!ReadAsTheVerifierDoes(leaf))
                {
                    return false;
                }

                _ = CertificatePath.Validate(leaf, chain, at, out _);
                var failures = new List<string>();
                return SctVerifier.CountValid(leaf, issuer, ctlogs, failures) > 0;
            }
        }, _ => false, 2000);

        Assert.True(accepted > 0, "not even the unmutated certificates were read");
    }

    [Fact]
    public void PublicKeyVerifier_MutatedKeysAndSignatures_LoadOrThrowCryptographicException_VerifyReturnsFalse()
    {
        var message = "message signed by every key"u8.ToArray();
        var samples = new List<(byte[] Spki, byte[] Signature)>();
        foreach (var curve in new[] { ECCurve.NamedCurves.nistP256, ECCurve.NamedCurves.nistP384,
            ECCurve.NamedCurves.nistP521 })
        {
            using var ecdsa = ECDsa.Create(curve);
            var hash = ecdsa.KeySize switch
            {
                256 => HashAlgorithmName.SHA256,
                384 => HashAlgorithmName.SHA384,
                _ => HashAlgorithmName.SHA512,
            };
            samples.Add((ecdsa.ExportSubjectPublicKeyInfo(),
                ecdsa.SignData(message, hash, DSASignatureFormat.Rfc3279DerSequence)));
        }

        using (var rsa = RSA.Create(2048))
        {
            samples.Add((rsa.ExportSubjectPublicKeyInfo(),
                rsa.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
        }

        var secret = RandomNumberGenerator.GetBytes(Ed25519.SecretKeySize);
        var publicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(secret, 0, publicKey, 0);
        var pure = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(secret, 0, message, 0, message.Length, pure, 0);
        samples.Add(([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, .. publicKey], pure));

        // The key mutated in one input of three, the signature in two of three.
        var gen = Gen.Select(Gen.Int[0, samples.Count - 1], Gen.Int[0, 8], Gen.Int[0, 8], Gen.Int,
            (index, keyEdits, signatureEdits, seed) =>
            {
                var random = new Random(seed);
                var (spki, signature) = samples[index];
                return (Fuzz.MutateDer(spki, keyEdits % 3 == 0 ? keyEdits : 0, random),
                    Fuzz.MutateDer(signature, signatureEdits % 3 != 0 ? signatureEdits : 0, random));
            });
        var digest = SHA256.HashData(message);

        var accepted = Fuzz.Run(output, "PublicKeyVerifier", gen, input =>
        {
            using var key = PublicKeyVerifier.FromSpki(input.Item1);
            _ = key.VerifyDigest(digest, HashAlgorithmName.SHA256, input.Item2);
            _ = key.VerifyEd25519Prehash(SHA512.HashData(message), input.Item2);
            return key.VerifyData(message, input.Item2);
        }, e => e is CryptographicException, 3000);

        Assert.True(accepted > 0, "not even the unmutated signatures verified");
    }

    [Fact]
    public void Checkpoint_Verify_SucceedsOrThrowsVerificationException()
    {
        using var authority = new TestSigstoreAuthority();
        var root = authority.TrustedRoot();
        var samples = new List<(string Note, TransparencyLogInstance Log)>();
        var logs = new[] { (authority.RekorV1, root.Tlogs[0]), (authority.RekorV2, root.Tlogs[1]) };
        foreach (var (log, instance) in logs)
        {
            var rootHash = SHA256.HashData(Encoding.ASCII.GetBytes(log.Host));
            samples.Add((log.SignCheckpoint(17, rootHash), instance));
            samples.Add((log.SignCheckpoint(1, rootHash, "\u2014 witness.test AAAAAAAAAAAAAAAAAAAA"), instance));
        }

        var keys = samples.Select(s => PublicKeyVerifier.FromSpki(s.Log.PublicKey!.RawBytes!)).ToList();
        var gen = Gen.Select(Gen.Int[0, samples.Count - 1], Gen.Int[0, 8], Gen.Int,
            (index, count, seed) => (index, Fuzz.Mutate(samples[index].Note, count, new Random(seed))));
        try
        {
            var accepted = Fuzz.Run(output, "CheckpointVerifier.Verify", gen, input =>
            {
                var note = CheckpointVerifier.Verify(input.Item2, samples[input.index].Log, keys[input.index]);
                Assert.Equal(32, note.RootHash.Length);
                return true;
            }, e => e is VerificationException, 4000);

            Assert.True(accepted > 0, "not even the unmutated checkpoints verified");
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }
    }

    [Fact]
    public void RekorClient_ToTransparencyLogEntry_SucceedsOrThrowsSigstoreServiceException()
    {
        using var authority = new TestSigstoreAuthority();
        using var signed = authority.Sign(Artifact);
        using var dsse = authority.Sign(Artifact, new SignOptions { Dsse = true });
        var samples = new[] { signed, dsse }
            .Select(s => RekorV1Answer(s.Bundle.VerificationMaterial!.TlogEntries![0]))
            .ToArray();

        var accepted = Fuzz.Run(output, "RekorClient.ToTransparencyLogEntry", Fuzz.MutatedUtf8(samples), answer =>
            RekorClient.ToTransparencyLogEntry(answer).CanonicalizedBody is not null,
            e => e is SigstoreServiceException, 3000);

        Assert.True(accepted > 0, "not even the unmutated answers were read");
    }

    [Fact]
    public void BundleVerifier_MutatedBinaryFields_VerifyOrThrowVerificationException()
    {
        using var authority = new TestSigstoreAuthority();
        using var v1 = authority.Sign(Artifact, new SignOptions { Timestamp = true });
        using var v2 = authority.Sign(Artifact, new SignOptions { Log = TestLogKind.RekorV2, Timestamp = true });
        using var intoto = authority.Sign(Artifact, new SignOptions { Dsse = true, DsseLogKind = "intoto" });
        byte[][] bundles = [v1.ToJson(), v2.ToJson(), intoto.ToJson()];
        var verifier = new BundleVerifier(authority.TrustedRoot());
        var artifact = VerificationArtifact.FromBytes(Artifact);
        var policy = VerificationPolicy.ForIdentity(TestSigstoreAuthority.Identity, TestSigstoreAuthority.Issuer);
        foreach (var json in bundles)
        {
            Assert.NotNull(verifier.Verify(json, artifact, policy));
        }

        var gen = Gen.Select(Gen.Int[0, bundles.Length - 1], Gen.Int[0, 7], Gen.Int[1, 8], Gen.Int,
            (index, field, count, seed) => (index, field, count, seed));

        Fuzz.Run(output, "BundleVerifier.Verify (binary fields)", gen, input =>
        {
            var bundle = BundleSerializer.Parse(bundles[input.index]);
            Mutate(bundle, input.field, input.count, new Random(input.seed));
            return verifier.Verify(bundle, artifact, policy) is not null;
        }, e => e is VerificationException, 3000);
    }

    [Fact]
    public async Task TimestampClient_DamagedAnswers_AreUsedOrThrowSigstoreServiceException()
    {
        await using var tsa = await TestTsa.StartAsync();
        using var handler = new CorruptingHandler();
        using var http = new HttpClient(handler);
        var client = new TimestampClient(new Uri(tsa.Url), http);
        var signature = RandomNumberGenerator.GetBytes(71);
        var gen = Gen.Select(Gen.Int[0, 8], Gen.Int, (count, seed) => (count, seed));

        var accepted = Fuzz.Run(output, "TimestampClient answer", gen, input =>
        {
            handler.Corrupt = answer => Fuzz.MutateDer(answer, input.count, new Random(input.seed));
            return client.TimestampAsync(signature).GetAwaiter().GetResult().Length > 0;
        }, e => e is SigstoreServiceException, 2000);

        Assert.True(accepted > 0, "not even the undamaged answers were used");
    }

    [Fact]
    public async Task FulcioClient_DamagedAnswers_AreUsedOrThrowSigstoreServiceException()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        await using var fulcio = await TestFulcioServer.StartAsync([issuer.Issuer]);
        using var handler = new CorruptingHandler();
        using var http = new HttpClient(handler);
        var client = new FulcioClient(new Uri(fulcio.Url), http);
        var token = IdentityToken.Parse(issuer.CreateToken(OidcTokenClaims.ForEmail("fuzz@coffer.test")), "fuzz");
        using var signer = EcdsaSigner.Generate();

        // Half the answers are damaged as JSON text, half in the DER of the leaf inside its PEM.
        var gen = Gen.Select(Gen.Bool, Gen.Int[0, 8], Gen.Int, (der, count, seed) => (der, count, seed));

        var accepted = Fuzz.Run(output, "FulcioClient answer", gen, input =>
        {
            var random = new Random(input.seed);
            handler.Corrupt = answer => input.der
                ? DamageLeaf(answer, input.count, random)
                : Encoding.UTF8.GetBytes(Fuzz.Mutate(Encoding.UTF8.GetString(answer), input.count, random));
            using var certificate = client.RequestCertificateAsync(token, signer).GetAwaiter().GetResult();
            return certificate.Leaf.RawData.Length > 0;
        }, e => e is SigstoreServiceException, 400);

        Assert.True(accepted > 0, "not even the undamaged answers were used");
    }

    // Mutates the DER of the first certificate of a Fulcio answer and writes it back as PEM.
    private static byte[] DamageLeaf(byte[] answer, int count, Random random)
    {
        var json = JsonNode.Parse(answer)!;
        var certificates = json["signedCertificateEmbeddedSct"]!["chain"]!["certificates"]!.AsArray();
        var pem = certificates[0]!.GetValue<string>();
        var fields = PemEncoding.Find(pem);
        var der = Convert.FromBase64String(pem[fields.Base64Data]);
        certificates[0] = new string(PemEncoding.Write("CERTIFICATE", Fuzz.MutateDer(der, count, random)));
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    // Reads what BundleVerifier reads from a leaf, in its order; false when it would refuse it.
    private static bool ReadAsTheVerifierDoes(X509Certificate2 certificate)
    {
        if (FulcioCertificate.CheckLeafProfile(certificate) is not null)
        {
            return false;
        }

        // BundleVerifier.VerifyIdentity reports exactly these as "the certificate's identity is malformed".
        try
        {
            _ = FulcioCertificate.SubjectAlternativeNames(certificate);
            _ = FulcioCertificate.Issuer(certificate);
            return true;
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or DecoderFallbackException)
        {
            return false;
        }
    }

    // Mutates one binary (or, for the log entry body and checkpoint, text) field of a bundle; a field
    // the bundle lacks, and field 7, mutate the certificate, the field with the most parsing behind it.
    private static void Mutate(Bundle bundle, int field, int count, Random random)
    {
        var material = bundle.VerificationMaterial!;
        var entry = material.TlogEntries!.FirstOrDefault();
        switch (field)
        {
            case 0:
                material.Certificate!.RawBytes = Fuzz.MutateDer(material.Certificate.RawBytes!, count, random);
                break;
            case 1 when material.TimestampVerificationData?.Rfc3161Timestamps is [var timestamp, ..]:
                timestamp.SignedTimestamp = Fuzz.MutateDer(timestamp.SignedTimestamp!, count, random);
                break;
            case 2 when bundle.MessageSignature is { } message:
                message.Signature = Fuzz.MutateDer(message.Signature!, count, random);
                break;
            case 2:
                var signature = bundle.DsseEnvelope!.Signatures![0];
                signature.Sig = Fuzz.MutateDer(signature.Sig!, count, random);
                break;
            case 3 when entry is not null:
                var body = Encoding.UTF8.GetString(entry.CanonicalizedBody!);
                entry.CanonicalizedBody = Encoding.UTF8.GetBytes(Fuzz.Mutate(body, count, random));
                break;
            case 4 when entry?.InclusionProof?.Checkpoint is { } checkpoint:
                checkpoint.Envelope = Fuzz.Mutate(checkpoint.Envelope!, count, random);
                break;
            case 5 when entry?.InclusionProof is { } proof:
                MutateProof(proof, count, random);
                break;
            case 6 when entry?.InclusionPromise is { } promise:
                promise.SignedEntryTimestamp = Fuzz.MutateDer(promise.SignedEntryTimestamp!, count, random);
                break;
            default:
                material.Certificate!.RawBytes = Fuzz.MutateDer(material.Certificate.RawBytes!, count, random);
                break;
        }
    }

    private static void MutateProof(InclusionProof proof, int count, Random random)
    {
        long[] numbers = [0, 1, -1, proof.TreeSize - 1, proof.TreeSize + 1, long.MaxValue, long.MinValue, 1L << 62];
        switch (random.Next(4))
        {
            case 0:
                proof.LogIndex = numbers[random.Next(numbers.Length)];
                break;
            case 1:
                proof.TreeSize = numbers[random.Next(numbers.Length)];
                break;
            case 2:
                proof.RootHash = Fuzz.MutateBytes(proof.RootHash!, count, random);
                break;
            default:
                var hashes = proof.Hashes!;
                if (hashes.Count == 0 || random.Next(4) == 0)
                {
                    hashes.Add(RandomNumberGenerator.GetBytes(32));
                }
                else
                {
                    var at = random.Next(hashes.Count);
                    hashes[at] = Fuzz.MutateBytes(hashes[at], count, random);
                }

                break;
        }
    }

    // The Rekor v1 answer for an entry: {uuid: {body, integratedTime, logID, logIndex, verification}}.
    private static string RekorV1Answer(TransparencyLogEntry entry)
    {
        var proof = entry.InclusionProof!;
        var answer = new JsonObject
        {
            [Convert.ToHexStringLower(SHA256.HashData(entry.CanonicalizedBody!))] = new JsonObject
            {
                ["body"] = Convert.ToBase64String(entry.CanonicalizedBody!),
                ["integratedTime"] = entry.IntegratedTime,
                ["logID"] = Convert.ToHexStringLower(entry.LogId!.KeyId!),
                ["logIndex"] = entry.LogIndex,
                ["verification"] = new JsonObject
                {
                    ["inclusionProof"] = new JsonObject
                    {
                        ["checkpoint"] = proof.Checkpoint!.Envelope,
                        ["hashes"] = new JsonArray(
                            [.. proof.Hashes!.Select(h => (JsonNode)Convert.ToHexStringLower(h))]),
                        ["logIndex"] = proof.LogIndex,
                        ["rootHash"] = Convert.ToHexStringLower(proof.RootHash!),
                        ["treeSize"] = proof.TreeSize,
                    },
                    ["signedEntryTimestamp"] = Convert.ToBase64String(entry.InclusionPromise!.SignedEntryTimestamp!),
                },
            },
        };
        return answer.ToJsonString();
    }
}
