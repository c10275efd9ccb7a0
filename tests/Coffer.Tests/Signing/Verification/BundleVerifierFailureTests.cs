using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Coffer.Signing.Bundles;
using Coffer.Signing.Trust;
using Coffer.Signing.Verification;
using Coffer.Testing.Sigstore;

namespace Coffer.Tests.Signing.Verification;

/// <summary>One failure per step of spec-notes §3, each on a bundle the tests made.</summary>
public sealed class BundleVerifierFailureTests : VerifierTestBase
{
    // §3.0 structure and version rules.

    [Fact]
    public void V01EntryWithoutSet_IsRefused()
    {
        using var signed = Sign(new SignOptions { Version = BundleVersion.V01 });
        Entry(signed).InclusionPromise = null;

        var error = Fails(VerificationStep.BundleStructure, signed);

        Assert.Contains("v0.1 bundle has no inclusionPromise", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V01EntryWithSetOnly_Verifies()
    {
        using var signed = Sign(new SignOptions { Version = BundleVersion.V01 });
        Entry(signed).InclusionProof = null;

        Verify(signed);
    }

    [Theory]
    [InlineData(BundleVersion.V02)]
    [InlineData(BundleVersion.V03)]
    public void EntryWithoutInclusionProof_IsRefusedFromV02(BundleVersion version)
    {
        using var signed = Sign(new SignOptions { Version = version });
        Entry(signed).InclusionProof = null;

        Fails(VerificationStep.BundleStructure, signed);
    }

    [Fact]
    public void ProofWithoutCheckpoint_IsRefusedFromV02()
    {
        using var signed = Sign(new SignOptions { Version = BundleVersion.V02 });
        Entry(signed).InclusionProof!.Checkpoint = null;

        Fails(VerificationStep.BundleStructure, signed);
    }

    [Fact]
    public void RekorV2EntryWithoutProof_IsRefused()
    {
        using var signed = Sign(new SignOptions { Log = TestLogKind.RekorV2, Timestamp = true });
        Entry(signed).InclusionProof = null;

        var error = Fails(VerificationStep.BundleStructure, signed);

        Assert.Contains("Rekor v2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V02WithSingleCertificate_IsRefused()
    {
        using var signed = Sign(new SignOptions { Version = BundleVersion.V02, CertificateChain = false });

        var error = Fails(VerificationStep.BundleStructure, signed);

        Assert.Contains("must carry an x509CertificateChain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyBundleWithIdentityPolicy_HintsAtTheKey()
    {
        using var signed = Sign(new SignOptions { KeyBased = true });

        var error = Fails(VerificationStep.Policy, signed);

        Assert.Contains("public key", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void DsseWithTwoSignatures_IsRefused()
    {
        using var signed = Sign(new SignOptions { Dsse = true });
        var signatures = signed.Bundle.DsseEnvelope!.Signatures!;
        signatures.Add(signatures[0]);

        var error = Fails(VerificationStep.BundleStructure, signed);

        Assert.Contains("exactly one is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateLogEntry_IsRefused()
    {
        using var signed = Sign();
        signed.Bundle.VerificationMaterial!.TlogEntries!.Add(Entry(signed));

        Fails(VerificationStep.BundleStructure, signed);
    }

    // §3.0 step 4: the caller's policy, not the bundle, picks the mode.

    [Fact]
    public void CertificateBundle_WithKeyPolicy_IsRefused()
    {
        using var signed = Sign();

        Fails(VerificationStep.Policy, signed, VerificationPolicy.ForPublicKey(signed.PublicKeySpki));
    }

    [Fact]
    public void KeyBundle_WithIdentityPolicy_IsRefused()
    {
        using var signed = Sign(new SignOptions { KeyBased = true });

        Fails(VerificationStep.Policy, signed);
    }

    [Fact]
    public void KeyBundle_WithAnotherKey_IsRefused()
    {
        using var signed = Sign(new SignOptions { KeyBased = true });
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Fails(VerificationStep.Signature, signed, VerificationPolicy.ForPublicKey(other.ExportSubjectPublicKeyInfo()));
    }

    // §3.7 signature and §1.3 artifact.

    [Fact]
    public void OtherArtifact_FailsOnTheMessageDigest()
    {
        using var signed = Sign();

        var error = Fails(VerificationStep.Artifact, signed, artifact: VerificationArtifact.FromBytes("other"u8));

        Assert.Contains("messageDigest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherArtifact_WithoutMessageDigest_FailsOnTheSignature()
    {
        using var signed = Sign();
        signed.Bundle.MessageSignature!.MessageDigest = null;

        Fails(VerificationStep.Signature, signed, artifact: VerificationArtifact.FromBytes("other"u8));
    }

    [Fact]
    public void TamperedSignature_IsRefused()
    {
        using var signed = Sign();
        signed.Bundle.MessageSignature!.Signature![^1] ^= 1;

        Fails(VerificationStep.Signature, signed);
    }

    [Fact]
    public void DsseSignatureOverOtherPayload_IsRefused()
    {
        using var signed = Sign(new SignOptions { Dsse = true });
        signed.Bundle.DsseEnvelope!.Payload = TestSigstoreAuthority.Statement("other"u8.ToArray());

        Fails(VerificationStep.Signature, signed);
    }

    [Fact]
    public void DsseStatementAboutOtherArtifact_IsRefused()
    {
        using var signed = Sign(new SignOptions { Dsse = true });

        var error = Fails(VerificationStep.Artifact, signed, artifact: VerificationArtifact.FromBytes("other"u8));

        Assert.Contains("matches no subject digest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DsseWithOtherPayloadType_IsRefused()
    {
        using var signed = Sign(new SignOptions { Dsse = true });
        var envelope = signed.Bundle.DsseEnvelope!;
        envelope.PayloadType = "application/json";
        envelope.Signatures![0].Sig = signed.SigningKey.SignData(
            TestSigstoreAuthority.Pae(envelope.PayloadType, envelope.Payload!), HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence);

        Fails(VerificationStep.Artifact, signed);
    }

    // §3.1 timestamps.

    [Fact]
    public void TimestampOverOtherData_GivesNoTime()
    {
        using var signed = Sign(new SignOptions { Log = TestLogKind.RekorV2 });
        SetTimestamp(signed, Authority.Tsa.Timestamp("other"u8.ToArray(), Authority.Now.AddMinutes(-59)));

        var error = Fails(VerificationStep.Timestamps, signed);

        Assert.Contains("messageImprint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimestampFromUntrustedTsa_GivesNoTime()
    {
        using var stranger = new TestTimestampAuthority(Authority.Now.AddYears(-1), TimeSpan.FromDays(900), "stranger");
        using var signed = Sign(new SignOptions { Log = TestLogKind.RekorV2 });
        SetTimestamp(signed, stranger.Timestamp(Signature(signed), Authority.Now.AddMinutes(-59)));

        Fails(VerificationStep.Timestamps, signed);
    }

    [Fact]
    public void TimestampOutsideTsaValidFor_GivesNoTime()
    {
        using var signed = Sign(new SignOptions { Log = TestLogKind.RekorV2, Timestamp = true });
        var root = Authority.TrustedRoot();
        root.TimestampAuthorities[0].ValidFor = new ValidityPeriod { Start = Authority.Now.AddMinutes(-30) };

        var error = Fails(VerificationStep.Timestamps, signed, root: root);

        Assert.Contains("validFor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimestampAfterTsaCertificateExpired_GivesNoTime()
    {
        using var shortLived = new TestTimestampAuthority(Authority.Now.AddDays(-10), TimeSpan.FromDays(1), "short");
        using var signed = Sign(new SignOptions { Log = TestLogKind.RekorV2 });
        SetTimestamp(signed, shortLived.Timestamp(Signature(signed), Authority.Now.AddMinutes(-59), false));
        var root = Authority.TrustedRoot();
        root.TimestampAuthorities = [shortLived.ToTrustedAuthority()];

        Fails(VerificationStep.Timestamps, signed, root: root);
    }

    [Fact]
    public void TimestampWhileTsaCertificateWasValid_VerifiesLaterToo()
    {
        // Hybrid model: the TSA chain has expired by now but was valid at genTime.
        using var expired = new TestTimestampAuthority(Authority.Now.AddDays(-10), TimeSpan.FromDays(2), "expired");
        using var signed = Sign(new SignOptions
        {
            Log = TestLogKind.RekorV2,
            SigningTime = Authority.Now.AddDays(-9),
        });
        SetTimestamp(signed, expired.Timestamp(Signature(signed), Authority.Now.AddDays(-9).AddSeconds(2)));
        var root = Authority.TrustedRoot();
        root.TimestampAuthorities = [expired.ToTrustedAuthority()];

        Verify(signed, root: root);
    }

    [Fact]
    public void TsaWithoutTimeStampingEku_IsRefused()
    {
        using var noEku = new TestTimestampAuthority(
            Authority.Now.AddYears(-1), TimeSpan.FromDays(900), "no-eku", timeStampingEku: false);
        using var signed = Sign(new SignOptions { Log = TestLogKind.RekorV2 });
        SetTimestamp(signed, noEku.Timestamp(Signature(signed), Authority.Now.AddMinutes(-59), false));
        var root = Authority.TrustedRoot();
        root.TimestampAuthorities = [noEku.ToTrustedAuthority()];

        var error = Fails(VerificationStep.Timestamps, signed, root: root);

        Assert.Contains("no trusted timestamp authority verifies it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BareTimestampToken_IsAccepted()
    {
        using var signed = Sign(new SignOptions { Log = TestLogKind.RekorV2 });
        var imprint = SHA256.HashData(Signature(signed));
        SetTimestamp(signed, Authority.Tsa.TimestampToken(imprint, Authority.Now.AddMinutes(-59)));

        Verify(signed);
    }

    [Fact]
    public void RekorV2WithoutTimestamp_IsRefused()
    {
        using var signed = Sign(new SignOptions { Log = TestLogKind.RekorV2 });

        var error = Fails(VerificationStep.Timestamps, signed);

        Assert.Contains("no RFC 3161 timestamp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V03EntryWithIntegratedTimeButNoSetOrTimestamp_HasNoVerifiedTime()
    {
        using var signed = Sign();
        Entry(signed).InclusionPromise = null;

        Fails(VerificationStep.Timestamps, signed);
    }

    [Fact]
    public void SignedTimestampThreshold_NeedsATimestamp()
    {
        using var signed = Sign();

        Fails(VerificationStep.Timestamps, signed, Keyless with { SignedTimestampThreshold = 1 });
    }

    // §3.6 SET and integrated time.

    [Fact]
    public void TamperedSet_IsRefused()
    {
        using var signed = Sign();
        Entry(signed).InclusionPromise!.SignedEntryTimestamp![^1] ^= 1;

        Fails(VerificationStep.SignedEntryTimestamp, signed);
    }

    [Fact]
    public void SetOverOtherIntegratedTime_IsRefused()
    {
        using var signed = Sign();
        Entry(signed).IntegratedTime -= 1;

        Fails(VerificationStep.SignedEntryTimestamp, signed);
    }

    [Fact]
    public void IntegratedTimeInTheFuture_IsRefused()
    {
        using var signed = Sign();
        var clock = new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Entry(signed).IntegratedTime - 1));

        var error = Fails(VerificationStep.SignedEntryTimestamp, signed, time: clock);

        Assert.Contains("in the future", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IntegratedTimeAfterLogKeyWindow_IsRefused()
    {
        using var signed = Sign();
        var root = Authority.TrustedRoot();
        root.Tlogs[0].PublicKey!.ValidFor!.End = DateTimeOffset.FromUnixTimeSeconds(Entry(signed).IntegratedTime - 1);

        Fails(VerificationStep.SignedEntryTimestamp, signed, root: root);
    }

    // §3.4 log entry body against the bundle.

    [Fact]
    public void UnknownLog_IsNotCounted()
    {
        using var signed = Sign();
        var root = Authority.TrustedRoot();
        root.Tlogs.RemoveAt(0);

        var error = Fails(VerificationStep.TransparencyLog, signed, root: root);

        Assert.Contains("not in the trusted root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BodyForOtherArtifact_IsRefused()
    {
        var other = Convert.ToHexStringLower(SHA256.HashData("other"u8));
        using var signed = Sign(new SignOptions
        {
            EditBody = b => b.Replace(
                Convert.ToHexStringLower(SHA256.HashData(Artifact)), other, StringComparison.Ordinal),
        });

        var error = Fails(VerificationStep.TransparencyLog, signed);

        Assert.Contains("artifact digest", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"algorithm\":\"\\ud800\"")]
    [InlineData("\"\\udc00algorithm\":\"sha256\"")]
    public void BodyWithALoneSurrogateEscape_IsRefusedAsMalformed(string replacement)
    {
        // JSON allows the escape in a value or a name, but no .NET string holds it.
        using var signed = Sign(new SignOptions
        {
            EditBody = b => b.Replace("\"algorithm\":\"sha256\"", replacement, StringComparison.Ordinal),
        });
        var body = Encoding.UTF8.GetString(Entry(signed).CanonicalizedBody!);
        Assert.Contains(replacement, body, StringComparison.Ordinal);

        var error = Fails(VerificationStep.TransparencyLog, signed);

        Assert.Contains("not valid Unicode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BodyWithOtherSignature_IsRefused()
    {
        using var signed = Sign(new SignOptions
        {
            EditBody = b => b.Replace("\"content\":\"M", "\"content\":\"N", StringComparison.Ordinal),
        });

        Fails(VerificationStep.TransparencyLog, signed);
    }

    [Fact]
    public void BodyWithOtherCertificate_IsRefused()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherLeaf = Authority.Fulcio.IssueLeaf(otherKey, Authority.Now.AddHours(-1), new LeafOptions(), null);
        var pem = Convert.ToBase64String(Encoding.UTF8.GetBytes(otherLeaf.ExportCertificatePem()));
        using var signed = Sign(new SignOptions
        {
            EditBody = b => System.Text.RegularExpressions.Regex.Replace(
                b, "\"publicKey\":\\{\"content\":\"[^\"]+\"", $"\"publicKey\":{{\"content\":\"{pem}\""),
        });

        var error = Fails(VerificationStep.TransparencyLog, signed);

        Assert.Contains("certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BodyKindDifferentFromKindVersion_IsRefused()
    {
        using var signed = Sign();
        Entry(signed).KindVersion!.Version = "0.0.2";

        Fails(VerificationStep.TransparencyLog, signed);
    }

    [Fact]
    public void RekorV2BodyWithOtherDigest_IsRefused()
    {
        using var signed = Sign(new SignOptions
        {
            Log = TestLogKind.RekorV2,
            Timestamp = true,
            EditBody = b => b.Replace(
                Convert.ToBase64String(SHA256.HashData(Artifact)),
                Convert.ToBase64String(SHA256.HashData("x"u8)),
                StringComparison.Ordinal),
        });

        Fails(VerificationStep.TransparencyLog, signed);
    }

    [Theory]
    [InlineData("dsse")]
    [InlineData("intoto")]
    public void DsseBodyWithOtherPayloadHash_IsRefused(string kind)
    {
        using var signed = Sign(new SignOptions
        {
            Dsse = true,
            DsseLogKind = kind,
            EditBody = b => System.Text.RegularExpressions.Regex.Replace(
                b, "\"payloadHash\":\\{\"algorithm\":\"sha256\",\"value\":\"[0-9a-f]+\"",
                $"\"payloadHash\":{{\"algorithm\":\"sha256\",\"value\":\"{new string('1', 64)}\""),
        });

        Fails(VerificationStep.TransparencyLog, signed);
    }

    // §3.5 inclusion proof and checkpoint.

    [Fact]
    public void CorruptedProofHash_IsRefused()
    {
        using var signed = Sign();
        Entry(signed).InclusionProof!.Hashes![0][0] ^= 1;

        Fails(VerificationStep.InclusionProof, signed);
    }

    [Fact]
    public void ProofWithMissingHash_IsRefused()
    {
        using var signed = Sign();
        Entry(signed).InclusionProof!.Hashes!.RemoveAt(0);

        Fails(VerificationStep.InclusionProof, signed);
    }

    [Fact]
    public void ProofIndexBeyondTree_IsRefused()
    {
        using var signed = Sign();
        var proof = Entry(signed).InclusionProof!;
        proof.LogIndex = proof.TreeSize;

        Fails(VerificationStep.InclusionProof, signed);
    }

    [Fact]
    public void CheckpointForOtherRoot_IsRefused()
    {
        using var signed = Sign();
        var proof = Entry(signed).InclusionProof!;
        proof.Checkpoint!.Envelope = Authority.RekorV1.SignCheckpoint(proof.TreeSize, new byte[32]);

        var error = Fails(VerificationStep.Checkpoint, signed);

        Assert.Contains("not the inclusion proof's", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TestLogKind.RekorV1)]
    [InlineData(TestLogKind.RekorV2)]
    public void TamperedCheckpointSignature_IsRefused(TestLogKind log)
    {
        using var signed = Sign(new SignOptions { Log = log, Timestamp = true });
        var checkpoint = Entry(signed).InclusionProof!.Checkpoint!;
        var note = checkpoint.Envelope!;
        var space = note.LastIndexOf(' ');
        var blob = Convert.FromBase64String(note[(space + 1)..].TrimEnd('\n'));
        blob[^1] ^= 1;
        checkpoint.Envelope = note[..(space + 1)] + Convert.ToBase64String(blob) + "\n";

        var error = Fails(VerificationStep.Checkpoint, signed);

        Assert.Contains("does not verify", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void CheckpointMissingALine_IsRefused(int line)
    {
        using var signed = Sign(new SignOptions { Log = TestLogKind.RekorV2, Timestamp = true });
        var checkpoint = Entry(signed).InclusionProof!.Checkpoint!;
        var lines = checkpoint.Envelope!.Split('\n').ToList();
        lines.RemoveAt(line);
        checkpoint.Envelope = string.Join('\n', lines);

        Fails(VerificationStep.Checkpoint, signed);
    }

    [Fact]
    public void CheckpointWithoutLogSignatureLine_IsRefused()
    {
        using var signed = Sign(new SignOptions { Log = TestLogKind.RekorV2, Timestamp = true });
        var checkpoint = Entry(signed).InclusionProof!.Checkpoint!;
        var note = checkpoint.Envelope!;
        var witness = $"\u2014 witness.example {Convert.ToBase64String(RandomNumberGenerator.GetBytes(68))}\n";
        checkpoint.Envelope = note[..(note.IndexOf("\n\n", StringComparison.Ordinal) + 2)] + witness;

        var error = Fails(VerificationStep.Checkpoint, signed);

        Assert.Contains("no signature line from the trusted log", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckpointFromOtherOrigin_IsRefused()
    {
        using var signed = Sign(new SignOptions { Log = TestLogKind.RekorV2, Timestamp = true });
        var proof = Entry(signed).InclusionProof!;
        Authority.RekorV2.Origin = "elsewhere.coffer.test";
        proof.Checkpoint!.Envelope = Authority.RekorV2.SignCheckpoint(proof.TreeSize, proof.RootHash!);

        var error = Fails(VerificationStep.Checkpoint, signed);

        Assert.Contains("origin", error.Message, StringComparison.Ordinal);
    }

    // §3.2 certificate chain at each verified time.

    [Fact]
    public void CaValidForExcludesTheSigningTime_IsRefused()
    {
        using var signed = Sign();
        var root = Authority.TrustedRoot();
        root.CertificateAuthorities[0].ValidFor = new ValidityPeriod { Start = Authority.Now.AddMinutes(-30) };

        var error = Fails(VerificationStep.Certificate, signed, root: root);

        Assert.Contains("not valid at that time", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IntegratedTimeAfterLeafExpiry_IsRefused()
    {
        var signingTime = Authority.Now.AddHours(-1);
        using var signed = Sign(new SignOptions
        {
            SigningTime = signingTime,
            IntegratedTime = signingTime.AddMinutes(20),
        });

        var error = Fails(VerificationStep.Certificate, signed);

        Assert.Contains("outside the certificate's validity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryVerifiedTimeIsChecked_NotOnlyTheEarliest()
    {
        var signingTime = Authority.Now.AddHours(-1);
        using var signed = Sign(new SignOptions
        {
            SigningTime = signingTime,
            Timestamp = true,
            TimestampTime = signingTime.AddMinutes(30),
        });

        Fails(VerificationStep.Certificate, signed);
    }

    [Fact]
    public void IntermediateAnchorNotValidAtTheTime_IsRefused()
    {
        // Signed before the intermediate's NotBefore; every trusted-root window allows the time.
        using var signed = Sign(new SignOptions { SigningTime = Authority.Now.AddYears(-2) });
        var root = Authority.TrustedRoot();
        var longAgo = new ValidityPeriod { Start = Authority.Now.AddYears(-3) };
        root.Tlogs[0].PublicKey!.ValidFor = longAgo;
        root.Ctlogs[0].PublicKey!.ValidFor = longAgo;
        root.CertificateAuthorities[0].ValidFor = longAgo;
        root.CertificateAuthorities[0].CertChain!.Certificates!.RemoveAt(1);

        var error = Fails(VerificationStep.Certificate, signed, root: root);

        Assert.Contains("no valid path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LeafFromAnotherCa_IsRefused()
    {
        using var stranger = new TestSigstoreAuthority();
        using var signed = stranger.Sign(Artifact);
        var root = Authority.TrustedRoot();
        root.Tlogs = stranger.TrustedRoot().Tlogs;
        root.Ctlogs = stranger.TrustedRoot().Ctlogs;

        Fails(VerificationStep.Certificate, signed, root: root);
    }

    [Fact]
    public void SelfSignedRootInBundleChain_IsRefused()
    {
        var options = new SignOptions { Version = BundleVersion.V02 };
        options.ExtraChainCertificates.Add(Authority.Fulcio.Intermediate.RawData);
        options.ExtraChainCertificates.Add(Authority.Fulcio.Root.RawData);
        using var signed = Sign(options);

        var error = Fails(VerificationStep.Certificate, signed);

        Assert.Contains("self-signed root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LeafWithoutCodeSigning_IsRefused()
    {
        using var signed = Sign(new SignOptions { Leaf = new LeafOptions { CodeSigning = false } });

        var error = Fails(VerificationStep.Certificate, signed);

        Assert.Contains("codeSigning", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CertificateThatIsNotDer_IsRefused()
    {
        using var signed = Sign();
        signed.Bundle.VerificationMaterial!.Certificate!.RawBytes = [0x30, 0x03, 0x02, 0x01, 0x01];

        Fails(VerificationStep.Certificate, signed);
    }

    [Fact]
    public void LeafKeyOnAnUnknownCurve_IsAnUnusableKey()
    {
        using var signed = Sign();
        var leaf = signed.Bundle.VerificationMaterial!.Certificate!.RawBytes!;
        byte[] p256 = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
        var at = leaf.AsSpan().IndexOf(p256);
        Assert.True(at > 0, "the leaf has no P-256 key");
        leaf[at + p256.Length - 1] = 0x63;

        var error = Fails(VerificationStep.Certificate, signed);

        Assert.Contains("unusable public key", error.Message, StringComparison.Ordinal);
    }

    // §3.3 SCTs.

    [Fact]
    public void LeafWithoutSct_IsRefused()
    {
        using var signed = Sign(new SignOptions { Leaf = new LeafOptions { EmbedSct = false } });

        Fails(VerificationStep.CertificateTransparency, signed);
        Verify(signed, Keyless with { RequireSignedCertificateTimestamp = false });
    }

    [Fact]
    public void SctFromUnknownLog_IsRefused()
    {
        using var signed = Sign(new SignOptions { Leaf = new LeafOptions { SctFromUnknownLog = true } });

        var error = Fails(VerificationStep.CertificateTransparency, signed);

        Assert.Contains("unknown CT log", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SctTimeAfterTheYear9999_IsRefusedAsImpossible()
    {
        // Bytes 33 to 40 of an SCT are its time in milliseconds; 2^48 - 1 is in the year 10889.
        using var signed = Sign(new SignOptions
        {
            Leaf = new LeafOptions
            {
                EditSct = sct =>
                {
                    BinaryPrimitives.WriteUInt64BigEndian(sct.AsSpan(33), (1UL << 48) - 1);
                    return sct;
                },
            },
        });

        var error = Fails(VerificationStep.CertificateTransparency, signed);

        Assert.Contains("impossible timestamp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SctOutsideCtLogWindow_IsRefused()
    {
        using var signed = Sign();
        var root = Authority.TrustedRoot();
        root.Ctlogs[0].PublicKey!.ValidFor = new ValidityPeriod { Start = Authority.Now.AddMinutes(-1) };

        Fails(VerificationStep.CertificateTransparency, signed, root: root);
    }

    // §3.8 identity.

    [Fact]
    public void WrongIdentity_IsRefused()
    {
        using var signed = Sign();

        var error = Fails(VerificationStep.Identity, signed,
            VerificationPolicy.ForIdentity("https://github.com/evil/app/.github/workflows/release.yml@refs/heads/main",
                TestSigstoreAuthority.Issuer));

        Assert.Contains(TestSigstoreAuthority.Identity, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongIssuer_IsRefused()
    {
        using var signed = Sign();

        Fails(VerificationStep.Identity, signed,
            VerificationPolicy.ForIdentity(TestSigstoreAuthority.Identity, TestSigstoreAuthority.Issuer + "/"));
    }

    [Fact]
    public void IdentityRegex_IsAnchored()
    {
        using var signed = Sign();
        var policy = VerificationPolicy.ForCertificate(
            StringMatcher.Regex("coffer-test/app"), StringMatcher.Equal(TestSigstoreAuthority.Issuer));

        Fails(VerificationStep.Identity, signed, policy);
    }

    // Messages.

    [Fact]
    public void Exception_NamesTheStepAndMapsToExitCode3()
    {
        using var signed = Sign();
        signed.Bundle.MessageSignature!.Signature![^1] ^= 1;

        var error = Fails(VerificationStep.Signature, signed);

        Assert.StartsWith("verification failed (signature): ", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.ExitCode);
        Assert.IsAssignableFrom<Coffer.Errors.CofferException>(error);
    }

    private static byte[] Signature(TestSignedBundle signed) =>
        signed.Bundle.MessageSignature?.Signature ?? signed.Bundle.DsseEnvelope!.Signatures![0].Sig!;

    private static void SetTimestamp(TestSignedBundle signed, byte[] timestamp) =>
        signed.Bundle.VerificationMaterial!.TimestampVerificationData = new TimestampVerificationData
        {
            Rfc3161Timestamps = [new Rfc3161Timestamp { SignedTimestamp = timestamp }],
        };
}
