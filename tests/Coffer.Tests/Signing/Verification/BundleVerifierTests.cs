using System.Security.Cryptography;
using Coffer.Signing.Bundles;
using Coffer.Signing.Verification;
using Coffer.Testing.Sigstore;

namespace Coffer.Tests.Signing.Verification;

public sealed class BundleVerifierTests : VerifierTestBase
{
    [Fact]
    public void Verify_V03RekorV1_ReportsIdentityTimeAndEntry()
    {
        using var signed = Sign();

        var result = Verify(signed);

        Assert.Equal(TestSigstoreAuthority.Identity, result.SignerIdentity);
        Assert.Equal(TestSigstoreAuthority.Issuer, result.Issuer);
        Assert.Equal(BundleVersion.V03, result.BundleVersion);
        var time = Assert.Single(result.VerifiedTimes);
        Assert.Equal(TimestampSource.TransparencyLog, time.Source);
        Assert.Equal("https://rekor.coffer.test", time.Authority);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Entry(signed).IntegratedTime), time.Time);
        var entry = Assert.Single(result.LogEntries);
        Assert.Equal(Entry(signed).LogIndex, entry.LogIndex);
        Assert.Equal("hashedrekord/0.0.1", entry.Kind);
        Assert.Equal(Convert.ToBase64String(Authority.RekorV1.LogId), entry.LogId);
        Assert.Equal(1, result.SignedCertificateTimestamps);
        Assert.Equal(signed.Certificate!.RawData, result.Certificate!.RawData);
    }

    [Theory]
    [InlineData(BundleVersion.V01)]
    [InlineData(BundleVersion.V02)]
    public void Verify_OlderVersionsWithChain_Verify(BundleVersion version)
    {
        using var signed = Sign(new SignOptions { Version = version });

        var result = Verify(signed);

        Assert.Equal(version, result.BundleVersion);
        Assert.NotNull(signed.Bundle.VerificationMaterial!.X509CertificateChain);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Verify_RekorV2WithTimestamp_TimeComesFromTheTsa(bool embedCertificate)
    {
        using var signed = Sign(new SignOptions
        {
            Log = TestLogKind.RekorV2,
            Timestamp = true,
            EmbedTimestampCertificate = embedCertificate,
        });

        var result = Verify(signed);

        var time = Assert.Single(result.VerifiedTimes);
        Assert.Equal(TimestampSource.TimestampAuthority, time.Source);
        Assert.Contains(Authority.Tsa.Name, time.Authority, StringComparison.Ordinal);
        Assert.Null(Assert.Single(result.LogEntries).IntegratedTime);
        Assert.Equal("hashedrekord/0.0.2", result.LogEntries[0].Kind);
    }

    [Fact]
    public void Verify_SetAndTimestamp_ReportsBothTimes()
    {
        using var signed = Sign(new SignOptions { Timestamp = true });

        var result = Verify(signed);

        Assert.Equal(2, result.VerifiedTimes.Count);
        Assert.Contains(result.VerifiedTimes, t => t.Source == TimestampSource.TimestampAuthority);
        Assert.Contains(result.VerifiedTimes, t => t.Source == TimestampSource.TransparencyLog);
    }

    [Theory]
    [InlineData(TestLogKind.RekorV1, "dsse", "dsse/0.0.1")]
    [InlineData(TestLogKind.RekorV1, "intoto", "intoto/0.0.2")]
    [InlineData(TestLogKind.RekorV2, "dsse", "hashedrekord/0.0.2")]
    public void Verify_Dsse_ChecksStatementAndEntry(TestLogKind log, string dsseKind, string entryKind)
    {
        using var signed = Sign(new SignOptions
        {
            Dsse = true,
            DsseLogKind = dsseKind,
            Log = log,
            Timestamp = log == TestLogKind.RekorV2,
        });

        var result = Verify(signed);

        Assert.Equal(entryKind, result.LogEntries[0].Kind);
        Assert.Equal("https://slsa.dev/provenance/v1", result.Statement!.PredicateType);
    }

    [Fact]
    public void Verify_DsseSha512Subject_MatchesTheArtifactBytes()
    {
        using var signed = Sign(new SignOptions { Dsse = true, SubjectAlgorithm = "sha512" });

        var result = Verify(signed);

        Assert.Contains("sha512", result.Statement!.Subject![0].Digest!.Keys);
    }

    [Fact]
    public void Verify_DsseSha512Subject_MatchesASha512Digest()
    {
        using var signed = Sign(new SignOptions { Dsse = true, SubjectAlgorithm = "sha512" });
        var digest = "sha512:" + Convert.ToHexStringLower(SHA512.HashData(Artifact));

        Verify(signed, artifact: VerificationArtifact.FromDigest(digest));
    }

    [Fact]
    public void Verify_ArtifactAsSha256Digest_Verifies()
    {
        using var signed = Sign();

        var result = Verify(signed, artifact: VerificationArtifact.FromDigest(signed.ArtifactDigest));

        Assert.Equal(TestSigstoreAuthority.Identity, result.SignerIdentity);
    }

    [Fact]
    public void Verify_ArtifactAsStream_Verifies()
    {
        using var signed = Sign();
        using var stream = new MemoryStream(Artifact);

        Verify(signed, artifact: VerificationArtifact.FromStream(stream));
    }

    [Fact]
    public void Verify_ArtifactFile_Verifies()
    {
        using var signed = Sign();
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Artifact);

            Verify(signed, artifact: VerificationArtifact.FromFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Verify_ManagedKey_ReportsHintAndFingerprint()
    {
        using var signed = Sign(new SignOptions { KeyBased = true });

        var result = Verify(signed, VerificationPolicy.ForPublicKeyPem(signed.PublicKeyPem));

        Assert.Null(result.SignerIdentity);
        Assert.Equal(signed.Bundle.VerificationMaterial!.PublicKey!.Hint, result.KeyHint);
        var fingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(signed.PublicKeySpki));
        Assert.Equal(fingerprint, result.KeyFingerprint);
    }

    [Fact]
    public void Verify_ManagedKeyOnRekorV2_Verifies()
    {
        using var signed = Sign(new SignOptions { KeyBased = true, Log = TestLogKind.RekorV2, Timestamp = true });

        Verify(signed, VerificationPolicy.ForPublicKey(signed.PublicKeySpki));
    }

    [Fact]
    public void Verify_ManagedKeyWithoutLog_VerifiesWhenTheCallerWaivesTheLog()
    {
        using var signed = Sign(new SignOptions { KeyBased = true, Log = null });
        var policy = VerificationPolicy.ForPublicKey(signed.PublicKeySpki);

        Fails(VerificationStep.TransparencyLog, signed, policy);
        Verify(signed, policy with { TransparencyLogThreshold = 0 });
    }

    [Fact]
    public void Verify_EmailIdentity_Matches()
    {
        var leaf = new LeafOptions
        {
            UriSan = null,
            EmailSan = "dev@coffer.test",
            Issuer = "https://accounts.coffer.test",
        };
        using var signed = Sign(new SignOptions { Leaf = leaf });

        var result = Verify(signed, VerificationPolicy.ForIdentity("dev@coffer.test", "https://accounts.coffer.test"));

        Assert.Equal("dev@coffer.test", result.SignerIdentity);
    }

    [Fact]
    public void Verify_OtherNameIdentity_Matches()
    {
        var leaf = new LeafOptions
        {
            UriSan = null,
            OtherNameSan = "foo!oidc.local",
            Issuer = "http://oidc.local:8080",
        };
        using var signed = Sign(new SignOptions { Leaf = leaf });

        var result = Verify(signed, VerificationPolicy.ForIdentity("foo!oidc.local", "http://oidc.local:8080"));

        Assert.Equal("foo!oidc.local", result.SignerIdentity);
    }

    [Fact]
    public void Verify_IssuerOnlyInV1Extension_FallsBackToIt()
    {
        var leaf = new LeafOptions { Issuer = null, IssuerV1 = TestSigstoreAuthority.Issuer };
        using var signed = Sign(new SignOptions { Leaf = leaf });

        Assert.Equal(TestSigstoreAuthority.Issuer, Verify(signed).Issuer);
    }

    [Fact]
    public void Verify_IssuerV2_WinsOverV1()
    {
        var leaf = new LeafOptions { IssuerV1 = "https://old.example", Issuer = TestSigstoreAuthority.Issuer };
        using var signed = Sign(new SignOptions { Leaf = leaf });

        Assert.Equal(TestSigstoreAuthority.Issuer, Verify(signed).Issuer);
    }

    [Fact]
    public void Verify_IdentityRegex_MatchesTheWholeValue()
    {
        using var signed = Sign();
        var policy = VerificationPolicy.ForCertificate(
            StringMatcher.Regex(@"https://github\.com/coffer-test/.+"), StringMatcher.Regex(@"https://token\..*"));

        Assert.Equal(TestSigstoreAuthority.Identity, Verify(signed, policy).SignerIdentity);
    }

    [Theory]
    [InlineData("coffer-test/app/.github/workflows/release.yml@refs/heads/main")]
    [InlineData("coffer-test/app/.github/workflows/release.yml@main")]
    [InlineData("coffer-test/app/.github/workflows/release.yml")]
    public void Verify_GitHubWorkflowPolicy_Matches(string workflow)
    {
        using var signed = Sign();

        Verify(signed, VerificationPolicy.GitHubWorkflow(workflow));
    }

    [Fact]
    public void Verify_SctWithExtensions_Verifies()
    {
        using var signed = Sign(new SignOptions { Leaf = new LeafOptions { SctExtensions = [0, 1, 2, 3, 4, 5] } });

        Assert.Equal(1, Verify(signed).SignedCertificateTimestamps);
    }

    [Fact]
    public void Verify_CheckpointWithWitnessLines_Verifies()
    {
        using var signed = Sign(new SignOptions { Log = TestLogKind.RekorV2, Timestamp = true });
        var proof = Entry(signed).InclusionProof!;
        var witness = $"\u2014 witness.example {Convert.ToBase64String(RandomNumberGenerator.GetBytes(68))}";
        var note = Authority.RekorV2.SignCheckpoint(proof.TreeSize, proof.RootHash!, witness, witness);
        var split = note.IndexOf("\n\n", StringComparison.Ordinal);
        var lines = note[(split + 2)..].TrimEnd('\n').Split('\n');

        // The witness line comes first: the log's line must be searched for, not assumed first.
        proof.Checkpoint!.Envelope = note[..(split + 2)] + $"{lines[1]}\n{lines[0]}\n{lines[2]}\n";

        Verify(signed);
    }

    [Fact]
    public void Verify_IntegratedTimeEqualToLogValidityEnd_Verifies()
    {
        using var signed = Sign();
        var root = Authority.TrustedRoot();
        root.Tlogs[0].PublicKey!.ValidFor!.End = DateTimeOffset.FromUnixTimeSeconds(Entry(signed).IntegratedTime);

        Verify(signed, root: root);
    }

    [Fact]
    public void Verify_AllowedChainInV03_Verifies()
    {
        using var signed = Sign(new SignOptions { CertificateChain = true });
        var policy = VerificationPolicy.ForCertificate(
            StringMatcher.Equal(TestSigstoreAuthority.Identity), StringMatcher.Equal(TestSigstoreAuthority.Issuer));

        Fails(VerificationStep.BundleStructure, signed, policy);
        Verify(signed, policy with { AllowCertificateChain = true });
    }

    [Fact]
    public void Verify_UntrustedIntermediateInBundleChain_IsIgnored()
    {
        using var stranger = new TestFulcio(Authority.Now.AddYears(-1), TimeSpan.FromDays(1000), "stranger");
        var options = new SignOptions { Version = BundleVersion.V02 };
        options.ExtraChainCertificates.Add(stranger.Intermediate.RawData);
        using var signed = Sign(options);

        Verify(signed);
    }

    [Fact]
    public void Verify_TrustedChainEndingAtAnIntermediate_AnchorsThere()
    {
        using var signed = Sign();
        var root = Authority.TrustedRoot();
        root.CertificateAuthorities[0].CertChain!.Certificates!.RemoveAt(1);

        Verify(signed, root: root);
    }

    [Fact]
    public void Verify_RekorV1CheckpointNamedAfterTheServer_Verifies()
    {
        Authority.RekorV1.Origin = "rekor-deployment-7f9c - 6364419738405537866";
        Authority.RekorV1.KeyName = "rekor-deployment-7f9c";
        using var signed = Sign();

        Verify(signed);
    }
}
