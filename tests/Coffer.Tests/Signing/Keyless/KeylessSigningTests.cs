using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Coffer.Errors;
using Coffer.Signing.Bundles;
using Coffer.Signing.Services;
using Coffer.Testing.Sigstore.Servers;

namespace Coffer.Tests.Signing.Keyless;

public sealed class KeylessSigningTests(SigstoreStackFixture fixture) : IClassFixture<SigstoreStackFixture>
{
    private static readonly byte[] Artifact = Encoding.UTF8.GetBytes("coffer keyless artifact\n");

    private TestSigstoreStack Stack => fixture.Stack;

    [Fact]
    public async Task SignDigest_WithGitHubActionsToken_WritesV03BundleWithLeafOnly()
    {
        using var signer = fixture.Keyless(Stack.GitHubActionsEnvironment);

        var bundle = await signer.SignDigestAsync(SHA256.HashData(Artifact));

        var json = JsonDocument.Parse(BundleSerializer.Serialize(bundle)).RootElement;
        Assert.Equal("application/vnd.dev.sigstore.bundle.v0.3+json", json.GetProperty("mediaType").GetString());
        var material = json.GetProperty("verificationMaterial");
        Assert.False(material.TryGetProperty("x509CertificateChain", out _));
        Assert.False(material.TryGetProperty("publicKey", out _));
        var leafBytes = material.GetProperty("certificate").GetProperty("rawBytes").GetBytesFromBase64();
        using var leaf = X509CertificateLoader.LoadCertificate(leafBytes);
        Assert.Equal(Stack.Fulcio.Intermediate.Subject, leaf.Issuer);

        var signature = json.GetProperty("messageSignature");
        var digest = signature.GetProperty("messageDigest");
        Assert.Equal("SHA2_256", digest.GetProperty("algorithm").GetString());
        Assert.Equal(SHA256.HashData(Artifact), digest.GetProperty("digest").GetBytesFromBase64());
        using var key = leaf.GetECDsaPublicKey()!;
        Assert.True(key.VerifyData(Artifact, signature.GetProperty("signature").GetBytesFromBase64(),
            HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        var entry = Assert.Single(material.GetProperty("tlogEntries").EnumerateArray());
        Assert.Equal(JsonValueKind.String, entry.GetProperty("logIndex").ValueKind);
        Assert.Equal(JsonValueKind.String, entry.GetProperty("integratedTime").ValueKind);
        Assert.Equal(Stack.Rekor.LogId, entry.GetProperty("logId").GetProperty("keyId").GetBytesFromBase64());
        Assert.Equal("hashedrekord", entry.GetProperty("kindVersion").GetProperty("kind").GetString());
        Assert.Equal("0.0.1", entry.GetProperty("kindVersion").GetProperty("version").GetString());
        Assert.NotEmpty(entry.GetProperty("inclusionPromise").GetProperty("signedEntryTimestamp").GetBytesFromBase64());
        var proof = entry.GetProperty("inclusionProof");
        Assert.Equal(32, proof.GetProperty("rootHash").GetBytesFromBase64().Length);
        Assert.StartsWith(Stack.Rekor.CheckpointOrigin + "\n",
            proof.GetProperty("checkpoint").GetProperty("envelope").GetString(), StringComparison.Ordinal);

        var body = JsonDocument.Parse(entry.GetProperty("canonicalizedBody").GetBytesFromBase64()).RootElement;
        var verifier = Encoding.UTF8.GetString(body.GetProperty("spec").GetProperty("signature")
            .GetProperty("publicKey").GetProperty("content").GetBytesFromBase64());
        Assert.Equal(leaf.ExportCertificatePem() + "\n", verifier);

        var timestamp = Assert.Single(material.GetProperty("timestampVerificationData")
            .GetProperty("rfc3161Timestamps").EnumerateArray());
        Assert.NotEmpty(timestamp.GetProperty("signedTimestamp").GetBytesFromBase64());
    }

    [Fact]
    public async Task SignDigest_WithGitHubActionsToken_CertifiesTheWorkflowIdentity()
    {
        using var signer = fixture.Keyless(Stack.GitHubActionsEnvironment);

        var bundle = await signer.SignDigestAsync(SHA256.HashData(Artifact));

        using var leaf = X509CertificateLoader.LoadCertificate(bundle.VerificationMaterial!.Certificate!.RawBytes!);
        Assert.Equal(
            "https://github.com/coffer-test/example/.github/workflows/release.yml@refs/heads/main",
            leaf.GetNameInfo(X509NameType.UrlName, forIssuer: false));
        Assert.Equal(Stack.Issuer.Issuer, Utf8Extension(leaf, "1.3.6.1.4.1.57264.1.8"));
        Assert.Equal("https://github.com/coffer-test/example", Utf8Extension(leaf, "1.3.6.1.4.1.57264.1.12"));
        Assert.Equal("refs/heads/main", Utf8Extension(leaf, "1.3.6.1.4.1.57264.1.14"));
        Assert.Equal(Stack.Issuer.Issuer, Encoding.UTF8.GetString(leaf.Extensions["1.3.6.1.4.1.57264.1.1"]!.RawData));
        var usage = Assert.IsType<X509EnhancedKeyUsageExtension>(leaf.Extensions["2.5.29.37"]);
        Assert.Equal("1.3.6.1.5.5.7.3.3", Assert.Single(usage.EnhancedKeyUsages.Cast<Oid>()).Value);
        Assert.NotNull(leaf.Extensions["1.3.6.1.4.1.11129.2.4.2"]);
        Assert.Empty(leaf.SubjectName.RawData.Skip(2));

        var request = Assert.Single(Stack.Issuer.Requests, r => r.Status == 200
            && r.Path.StartsWith("/actions/token", StringComparison.Ordinal)
            && r.Path.Contains("audience=sigstore", StringComparison.Ordinal));
        Assert.Contains("api-version=2.0&audience=sigstore", request.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignDigest_WithEmailTokenInEnvironment_CertifiesTheEmail()
    {
        var token = Stack.Issuer.CreateToken(OidcTokenClaims.ForEmail("dev@example.test"), OidcSigningAlgorithm.Es256);
        using var signer = fixture.Keyless(new Dictionary<string, string> { ["SIGSTORE_ID_TOKEN"] = token });

        var bundle = await signer.SignDigestAsync(SHA256.HashData(Artifact));

        using var leaf = X509CertificateLoader.LoadCertificate(bundle.VerificationMaterial!.Certificate!.RawBytes!);
        Assert.Equal("dev@example.test", leaf.GetNameInfo(X509NameType.EmailName, forIssuer: false));
    }

    [Fact]
    public async Task SignFile_WritesNoSecretToLogsBundleOrErrors()
    {
        var lines = new List<string>();
        var path = Path.Combine(Stack.Directory, "leak-check.txt");
        await File.WriteAllBytesAsync(path, Artifact);
        using var signer = fixture.Keyless(Stack.GitHubActionsEnvironment, lines);

        var bundle = BundleSerializer.Serialize(await signer.SignFileAsync(path));
        Stack.Fulcio.FailNext(10, 500);
        var failure = await Assert.ThrowsAsync<SigstoreServiceException>(() => signer.SignFileAsync(path));

        Assert.NotEmpty(lines);
        var output = string.Join("\n", lines) + bundle + failure.Message + failure.Hint + failure;
        Assert.NotEmpty(Stack.Issuer.IssuedTokens);
        foreach (var secret in Stack.Issuer.IssuedTokens.Append(Stack.Issuer.ActionsRequestToken))
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
            Assert.DoesNotContain(secret.Split('.')[^1], output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SignDigest_WhenFulcioRefusesAForgedToken_FailsWith401AndNoToken()
    {
        var forged = TestOidcIssuer.CreateForgedToken(
            Stack.Issuer.Issuer, OidcTokenClaims.ForEmail("eve@example.test"));
        using var signer = fixture.Keyless(new Dictionary<string, string>(), explicitToken: forged);

        var error = await Assert.ThrowsAsync<SigstoreServiceException>(
            () => signer.SignDigestAsync(SHA256.HashData(Artifact)));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Equal("Fulcio", error.Service);
        Assert.Contains("signature does not verify", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Hint);
        Assert.DoesNotContain(forged, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignDigest_WhenTheTokenAudienceIsNotSigstore_FailsBeforeFulcio()
    {
        var token = Stack.Issuer.CreateToken(OidcTokenClaims.ForEmail("dev@example.test") with { Audience = "other" });
        using var signer = fixture.Keyless(new Dictionary<string, string> { ["SIGSTORE_ID_TOKEN"] = token });
        var before = Stack.Fulcio.Requests.Count;

        var error = await Assert.ThrowsAsync<CofferException>(() => signer.SignDigestAsync(SHA256.HashData(Artifact)));

        Assert.Contains("audience 'sigstore'", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Stack.Fulcio.Requests.Count);
    }

    [Fact]
    public async Task SignDigest_WhenRekorAnswers503Twice_RetriesAndSucceeds()
    {
        using var signer = fixture.Keyless(Stack.GitHubActionsEnvironment);
        var before = Stack.Rekor.Requests.Count;
        Stack.Rekor.FailNext(2, 503);

        var bundle = await signer.SignDigestAsync(SHA256.HashData(Artifact));

        Assert.Single(bundle.VerificationMaterial!.TlogEntries!);
        var posts = Stack.Rekor.Requests.Skip(before).Where(r => r.Method == "POST").ToList();
        Assert.Equal([503, 503, 201], posts.Select(r => r.Status));
        Assert.All(posts, r => Assert.StartsWith("coffer/", r.UserAgent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignDigest_WhenRekorKeepsFailing_GivesUpWithTheStatus()
    {
        using var signer = fixture.Keyless(Stack.GitHubActionsEnvironment);
        var before = Stack.Rekor.Requests.Count;
        Stack.Rekor.FailNext(20, 500);

        var error = await Assert.ThrowsAsync<SigstoreServiceException>(
            () => signer.SignDigestAsync(SHA256.HashData(Artifact)));
        Stack.Rekor.FailNext(0, 500);

        Assert.Equal(HttpStatusCode.InternalServerError, error.Status);
        Assert.Contains("Rekor upload failed: HTTP 500", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, Stack.Rekor.Requests.Skip(before).Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task SignDigest_WhenTheGitHubTokenEndpointThrottles_RetriesIt()
    {
        using var signer = fixture.Keyless(Stack.GitHubActionsEnvironment);
        var before = Stack.Issuer.Requests.Count;
        Stack.Issuer.FailNext(1, 429);

        await signer.SignDigestAsync(SHA256.HashData(Artifact));

        var tokenRequests = Stack.Issuer.Requests.Skip(before)
            .Where(r => r.Path.StartsWith("/actions/token", StringComparison.Ordinal)).ToList();
        Assert.Equal([429, 200], tokenRequests.Select(r => r.Status));
        Assert.All(tokenRequests, r => Assert.Equal("bearer " + Stack.Issuer.ActionsRequestToken, r.Authorization));
    }

    [Fact]
    public async Task SignDigest_InGitHubActionsWithoutIdTokenPermission_NamesThePermission()
    {
        var environment = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" };
        using var signer = fixture.Keyless(environment);

        var error = await Assert.ThrowsAsync<CofferException>(() => signer.SignDigestAsync(SHA256.HashData(Artifact)));

        Assert.Contains("ACTIONS_ID_TOKEN_REQUEST_URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("id-token: write", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignDigest_WithAWrongGitHubRequestToken_FailsWithoutShowingIt()
    {
        var environment = new Dictionary<string, string>(Stack.GitHubActionsEnvironment)
        {
            ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "wrong-request-token-value",
        };
        using var signer = fixture.Keyless(environment);

        var error = await Assert.ThrowsAsync<SigstoreServiceException>(
            () => signer.SignDigestAsync(SHA256.HashData(Artifact)));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Contains("id-token: write", error.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-request-token-value", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignDigest_WithoutAnyTokenSource_AsksForOne()
    {
        using var signer = fixture.Keyless(new Dictionary<string, string>());

        var error = await Assert.ThrowsAsync<CofferException>(() => signer.SignDigestAsync(SHA256.HashData(Artifact)));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("--identity-token", error.Hint, StringComparison.Ordinal);
    }

    private static string Utf8Extension(X509Certificate2 certificate, string oid)
    {
        var extension = certificate.Extensions[oid] ?? throw new InvalidOperationException(oid + " is missing");
        return new AsnReader(extension.RawData, AsnEncodingRules.DER)
            .ReadCharacterString(UniversalTagNumber.UTF8String);
    }
}
