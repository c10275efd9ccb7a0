using System.Security.Cryptography;
using Coffer.Signing.Verification;

namespace Coffer.Tests.Signing.Verification;

public sealed class VerificationPolicyTests
{
    private const string Prefix = "https://github.com/octo/app/.github/workflows/release.yml@";

    [Theory]
    [InlineData("octo/app/.github/workflows/release.yml@refs/heads/main", "refs/heads/main", true)]
    [InlineData("octo/app/.github/workflows/release.yml@refs/heads/main", "refs/heads/mainline", false)]
    [InlineData("octo/app/.github/workflows/release.yml@main", "refs/heads/main", true)]
    [InlineData("octo/app/.github/workflows/release.yml@main", "refs/tags/main", false)]
    [InlineData("octo/app/.github/workflows/release.yml@v1", "refs/heads/v1", true)]
    [InlineData("octo/app/.github/workflows/release.yml@v1", "refs/tags/v1", true)]
    [InlineData("octo/app/.github/workflows/release.yml@v1", "refs/tags/v10", false)]
    [InlineData("octo/app/.github/workflows/release.yml", "refs/tags/v2.0.1", true)]
    [InlineData("octo/app/.github/workflows/release.yml", "refs/pull/1/merge", true)]
    [InlineData("octo/app/.github/workflows/release.yml", "main", false)]
    public void GitHubWorkflow_ExpandsRefs(string workflow, string signedRef, bool matches)
    {
        var policy = VerificationPolicy.GitHubWorkflow(workflow);

        Assert.Equal(matches, policy.Identity!.Matches(Prefix + signedRef));
        Assert.True(policy.Issuer!.Matches(VerificationPolicy.GitHubActionsIssuer));
        Assert.False(policy.Issuer.Matches(VerificationPolicy.GitHubActionsIssuer + "/"));
    }

    [Fact]
    public void GitHubWorkflow_OtherRepository_DoesNotMatch()
    {
        var policy = VerificationPolicy.GitHubWorkflow("octo/app/.github/workflows/release.yml");

        Assert.False(policy.Identity!.Matches(
            "https://github.com/octo/app2/.github/workflows/release.yml@refs/heads/main"));
        Assert.False(policy.Identity.Matches(
            "https://github.com/octo/app/.github/workflows/release.yaml@refs/heads/main"));
    }

    [Theory]
    [InlineData("octo/app/release.yml")]
    [InlineData("octo/.github/workflows/release.yml")]
    [InlineData("octo/app/.github/workflows/release.yml@")]
    [InlineData("https://github.com/octo/app/.github/workflows/release.yml")]
    public void GitHubWorkflow_Malformed_IsRefused(string workflow)
    {
        Assert.Throws<ArgumentException>(() => VerificationPolicy.GitHubWorkflow(workflow));
    }

    [Fact]
    public void Regex_MatchesWholeValueOnly()
    {
        var matcher = StringMatcher.Regex("a.c");

        Assert.True(matcher.Matches("abc"));
        Assert.False(matcher.Matches("xabc"));
        Assert.False(matcher.Matches("abcx"));
        Assert.False(matcher.Matches(null));
    }

    [Theory]
    [InlineData("(a")]
    [InlineData("(?=a)a")]
    [InlineData("(a)\\1")]
    public void Regex_InvalidOrNotRe2_IsRefused(string pattern)
    {
        Assert.ThrowsAny<ArgumentException>(() => StringMatcher.Regex(pattern));
    }

    [Fact]
    public void Equal_IsOrdinal()
    {
        var matcher = StringMatcher.Equal("dev@coffer.test");

        Assert.True(matcher.Matches("dev@coffer.test"));
        Assert.False(matcher.Matches("DEV@coffer.test"));
    }

    [Fact]
    public void ForPublicKeyPem_AcceptsEcdsaRsaAndEd25519()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        byte[] ed25519 = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, .. new byte[32]];

        Assert.True(VerificationPolicy.ForPublicKeyPem(ecdsa.ExportSubjectPublicKeyInfoPem()).IsKeyBased);
        Assert.True(VerificationPolicy.ForPublicKeyPem(rsa.ExportSubjectPublicKeyInfoPem()).IsKeyBased);
        Assert.True(VerificationPolicy.ForPublicKey(ed25519).IsKeyBased);
    }

    [Fact]
    public void ForPublicKeyPem_Garbage_IsRefused()
    {
        Assert.ThrowsAny<CryptographicException>(() => VerificationPolicy.ForPublicKeyPem("not a key"));
        Assert.ThrowsAny<CryptographicException>(() =>
            VerificationPolicy.ForPublicKeyPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha256:A0CFC71271D6E278E57CD332FF957C3F7043FDDA354C4CBB190A30D56EFA01BF")]
    public void ArtifactDigest_Malformed_IsRefused(string digest)
    {
        Assert.Throws<FormatException>(() => VerificationArtifact.FromDigest(digest));
    }
}
