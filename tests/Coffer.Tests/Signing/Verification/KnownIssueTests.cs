using System.Security.Cryptography;
using System.Text;
using Coffer.Signing.Bundles;
using Coffer.Signing.Trust;
using Coffer.Signing.Verification;
using Coffer.Testing.Sigstore;

namespace Coffer.Tests.Signing.Verification;

/// <summary>One test (or more) per public bug report in the shared notes, on our own bundles.</summary>
public sealed class KnownIssueTests : VerifierTestBase
{
    [Fact]
    public void SigstoreGo642_SignatureTimeOutsideKeyWindow_IsRefused()
    {
        using var signed = Sign(new SignOptions { KeyBased = true, Log = null, Timestamp = true });
        var policy = VerificationPolicy.ForPublicKey(signed.PublicKeySpki) with
        {
            TransparencyLogThreshold = 0,
            SignedTimestampThreshold = 1,
            PublicKeyValidFor = new ValidityPeriod
            {
                Start = DateTimeOffset.FromUnixTimeSeconds(0),
                End = DateTimeOffset.FromUnixTimeSeconds(1),
            },
        };

        var error = Fails(VerificationStep.KeyValidity, signed, policy);

        Assert.Contains("outside the public key's validity window", error.Message, StringComparison.Ordinal);
        Verify(signed, policy with { PublicKeyValidFor = new ValidityPeriod { Start = Authority.Now.AddDays(-1) } });
    }

    [Fact]
    public void SigstoreGo642_KeyWindowWithoutAnyVerifiedTime_IsRefused()
    {
        using var signed = Sign(new SignOptions { KeyBased = true, Log = null });
        var policy = VerificationPolicy.ForPublicKey(signed.PublicKeySpki) with
        {
            TransparencyLogThreshold = 0,
            PublicKeyValidFor = new ValidityPeriod { Start = Authority.Now.AddDays(-1) },
        };

        Fails(VerificationStep.KeyValidity, signed, policy);
    }

    [Fact]
    public void SigstoreGo145_V03WithSetButNoInclusionProof_IsRefused()
    {
        using var signed = Sign(new SignOptions { Version = BundleVersion.V03 });
        Entry(signed).InclusionProof = null;

        var error = Fails(VerificationStep.BundleStructure, signed);

        Assert.Contains("inclusion proof", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SigstoreGo471_TwoTimestampsFromOneTsa_CountOnce()
    {
        using var signed = Sign(new SignOptions { Log = TestLogKind.RekorV2 });
        var signature = signed.Bundle.MessageSignature!.Signature!;
        AddTimestamps(signed,
            Authority.Tsa.Timestamp(signature, Authority.Now.AddMinutes(-59)),
            Authority.Tsa.Timestamp(signature, Authority.Now.AddMinutes(-58)));

        var error = Fails(VerificationStep.Timestamps, signed, Keyless with { SignedTimestampThreshold = 2 });

        Assert.Contains("1 distinct timestamp authorities verified, 2 required", error.Message,
            StringComparison.Ordinal);
        Assert.Equal(2, Verify(signed).VerifiedTimes.Count);
    }

    [Fact]
    public void SigstoreGo471_TimestampsFromTwoTsas_MeetAThresholdOfTwo()
    {
        using var second = new TestTimestampAuthority(Authority.Now.AddYears(-1), TimeSpan.FromDays(900), "second");
        using var signed = Sign(new SignOptions { Log = TestLogKind.RekorV2 });
        var signature = signed.Bundle.MessageSignature!.Signature!;
        AddTimestamps(signed,
            Authority.Tsa.Timestamp(signature, Authority.Now.AddMinutes(-59)),
            second.Timestamp(signature, Authority.Now.AddMinutes(-58)));
        var root = Authority.TrustedRoot();
        root.TimestampAuthorities.Add(second.ToTrustedAuthority());

        Verify(signed, Keyless with { SignedTimestampThreshold = 2 }, root);
    }

    [Fact]
    public void Cosign1816_EntryFromLogWhoseKeyIsNotTrusted_IsRefused()
    {
        using var signed = Sign(new SignOptions { KeyBased = true });
        var root = Authority.TrustedRoot();
        root.Tlogs.Clear();

        var policy = VerificationPolicy.ForPublicKey(signed.PublicKeySpki);

        var error = Fails(VerificationStep.TransparencyLog, signed, policy, root);

        Assert.Contains("not in the trusted root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cosign4346_ExplicitTrustedRootIsTheOnlyTrust()
    {
        using var signed = Sign();
        using var other = new TestSigstoreAuthority();

        Verify(signed);
        Fails(VerificationStep.TransparencyLog, signed, root: TrustedRootSerializer.PublicGood);
        Fails(VerificationStep.TransparencyLog, signed, root: other.TrustedRoot());
    }

    [Fact]
    public void SigstorePython1651_MessageDigestDisagreeingWithArtifact_IsRefused()
    {
        using var signed = Sign();
        signed.Bundle.MessageSignature!.MessageDigest!.Digest = SHA256.HashData("something else"u8);

        Fails(VerificationStep.Artifact, signed);
        Fails(VerificationStep.Artifact, signed, artifact: VerificationArtifact.FromDigest(signed.ArtifactDigest));
    }

    [Fact]
    public void Cosign4454_MalformedUserRoot_FailsWithoutFallingBack()
    {
        var path = Path.Combine(Path.GetTempPath(), $"coffer-root-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\","
            + "\"tlogs\":[{\"baseUrl\":\"https://x\",\"publicKey\":{\"rawBytes\":\"AAAA\"},"
            + "\"logId\":{\"keyId\":\"AAAA\"}}]}");
        try
        {
            var error = Assert.Throws<TrustedRootFormatException>(() => TrustedRootSerializer.ReadFile(path));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("validFor has no start", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Cosign4878_RootLoadingErrorIsSurfaced()
    {
        var error = Assert.Throws<TrustedRootFormatException>(() => TrustedRootSerializer.Parse("{\"mediaType\":"));

        Assert.Contains("trusted root is not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.Equal(Coffer.Errors.ExitCodes.VerificationFailed, error.ExitCode);
    }

    [Fact]
    public void Cosign1821_IncompleteBundleIsNeverWrittenSilently()
    {
        using var signed = Sign();
        signed.Bundle.VerificationMaterial!.Certificate = null;

        Assert.Throws<BundleFormatException>(() => BundleSerializer.Serialize(signed.Bundle));
    }

    [Fact]
    public void SigstoreGo257_DsseIsVerifiedAgainstTheSubjectDigestNotThePae()
    {
        using var signed = Sign(new SignOptions { Dsse = true });
        var envelope = signed.Bundle.DsseEnvelope!;
        var pae = TestSigstoreAuthority.Pae(envelope.PayloadType!, envelope.Payload!);

        Verify(signed, artifact: VerificationArtifact.FromDigest(signed.ArtifactDigest));
        Fails(VerificationStep.Artifact, signed, artifact: VerificationArtifact.FromBytes(pae));
    }

    [Fact]
    public void Cosign1258_GitHubWorkflowPolicyPinsTheActionsIssuer()
    {
        var leaf = new LeafOptions { Issuer = "https://oauth2.sigstore.dev/auth" };
        using var signed = Sign(new SignOptions { Leaf = leaf });

        var error = Fails(VerificationStep.Identity, signed,
            VerificationPolicy.GitHubWorkflow("coffer-test/app/.github/workflows/release.yml@main"));

        Assert.Contains(VerificationPolicy.GitHubActionsIssuer, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SigstoreGo43_OneBadTimestampDoesNotSpoilAGoodOne()
    {
        using var stranger = new TestTimestampAuthority(Authority.Now.AddYears(-1), TimeSpan.FromDays(900), "stranger");
        using var signed = Sign(new SignOptions { Log = TestLogKind.RekorV2 });
        var signature = signed.Bundle.MessageSignature!.Signature!;
        AddTimestamps(signed,
            stranger.Timestamp(signature, Authority.Now.AddMinutes(-59)),
            Authority.Tsa.Timestamp(signature, Authority.Now.AddMinutes(-58)));

        var result = Verify(signed, Keyless with { SignedTimestampThreshold = 1 });

        Assert.Single(result.VerifiedTimes);
    }

    [Fact]
    public void SigstoreGo43_OnlyAnUntrustedTimestamp_Fails()
    {
        using var stranger = new TestTimestampAuthority(Authority.Now.AddYears(-1), TimeSpan.FromDays(900), "stranger");
        using var signed = Sign(new SignOptions { Log = TestLogKind.RekorV2 });
        var signature = signed.Bundle.MessageSignature!.Signature!;
        AddTimestamps(signed, stranger.Timestamp(signature, Authority.Now.AddMinutes(-59)));

        Fails(VerificationStep.Timestamps, signed);
    }

    [Fact]
    public void SigstorePython1821_EntriesFromTwoLogs_BothCount()
    {
        using var signed = Sign(new SignOptions { Timestamp = true });
        var signature = signed.Bundle.MessageSignature!.Signature!;
        var body = TestLogBodies.HashedRekordV002(
            SHA256.HashData(Artifact), signature, signed.Certificate!.RawData, null);
        signed.Bundle.VerificationMaterial!.TlogEntries!.Add(Authority.RekorV2.Append(
            Encoding.UTF8.GetBytes(body), "hashedrekord", "0.0.2", Authority.Now));

        var result = Verify(signed, Keyless with { TransparencyLogThreshold = 2 });

        Assert.Equal(2, result.LogEntries.Count);
        Fails(VerificationStep.TransparencyLog, signed, Keyless with { TransparencyLogThreshold = 3 });
    }

    private static void AddTimestamps(TestSignedBundle signed, params byte[][] timestamps) =>
        signed.Bundle.VerificationMaterial!.TimestampVerificationData = new TimestampVerificationData
        {
            Rfc3161Timestamps = [.. timestamps.Select(t => new Rfc3161Timestamp { SignedTimestamp = t })],
        };
}
