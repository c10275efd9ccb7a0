using System.Security.Cryptography;
using Coffer.Signing.Trust;
using Coffer.Signing.Verification;
using Xunit.Abstractions;

namespace Coffer.Conformance.Tests.Sigstore;

/// <summary>
/// Every case folder of the public conformance vectors, each verified twice — with the artifact
/// file and with <c>sha256:&lt;hex&gt;</c> — and both must give the case's expected outcome.
/// </summary>
public sealed class ConformanceVectorTests(ITestOutputHelper output)
{
    private const string NotConfigured = "(COFFER_SIGSTORE_VECTORS is not set)";

    /// <summary>The case folders found at run time; one placeholder row when the folder is not configured.</summary>
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        var root = VectorFolder.TryRoot();
        if (root is null)
        {
            data.Add(NotConfigured);
            return data;
        }

        foreach (var name in ConformanceCase.Names(root))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_WithArtifactFile_GivesTheExpectedOutcome(string name) => Run(name, byDigest: false);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_WithArtifactDigest_GivesTheExpectedOutcome(string name) => Run(name, byDigest: true);

    [Fact]
    public void Folder_HoldsTheConformanceCases()
    {
        var names = ConformanceCase.Names(VectorFolder.Root).ToList();

        Assert.True(names.Count >= 50, $"only {names.Count} conformance cases under {VectorFolder.Root}");
    }

    [Fact]
    public void EmbeddedRoot_EqualsTheProductionRootFile()
    {
        var file = TrustedRootSerializer.ReadFile(
            VectorFolder.File("trusted-roots", "production-public-good.trusted_root.json"));

        var embedded = TrustedRootSerializer.PublicGood;

        Assert.Equal(TrustedRootSerializer.Serialize(file), TrustedRootSerializer.Serialize(embedded));
    }

    private void Run(string name, bool byDigest)
    {
        if (name == NotConfigured)
        {
            _ = VectorFolder.Root;
        }

        var testCase = ConformanceCase.Load(name);
        output.WriteLine($"{testCase.Name}: {testCase.WhatItTests}");
        Assert.Equal("sha256:" + testCase.ArtifactSha256, testCase.DigestArgument);

        string? failure = null;
        VerificationResult? result = null;
        try
        {
            var artifact = byDigest
                ? VerificationArtifact.FromDigest(testCase.DigestArgument)
                : VerificationArtifact.FromFile(testCase.Artifact);
            var verifier = new BundleVerifier(testCase.TrustedRoot());
            result = verifier.Verify(File.ReadAllBytes(testCase.Bundle), artifact, testCase.Policy());
        }
        catch (Exception e) when (e is VerificationException or TrustedRootFormatException or CryptographicException)
        {
            failure = $"{e.GetType().Name}: {e.Message}";
        }

        output.WriteLine(failure ?? $"verified: {result!.SignerIdentity ?? result.KeyFingerprint}");
        if (testCase.ExpectSuccess)
        {
            Assert.True(failure is null, $"{name} should verify but failed: {failure}");
            if (testCase.Identity is not null)
            {
                Assert.Equal(testCase.Identity, result!.SignerIdentity);
                Assert.Equal(testCase.Issuer, result.Issuer);
            }

            Assert.NotEmpty(result!.LogEntries);
        }
        else
        {
            Assert.True(failure is not null, $"{name} must be rejected but verified");
        }
    }
}
