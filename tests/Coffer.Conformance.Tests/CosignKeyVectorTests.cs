using System.Text.Json;
using Coffer.Signing.Keys;

namespace Coffer.Conformance.Tests;

/// <summary>cosign's own key files (extra/cosign-keys, password <c>hello</c>) load as cosign loads them.</summary>
public sealed class CosignKeyVectorTests
{
    private const string Password = "hello";

    private static string KeyFile(string name) => SigstoreVectors.File("extra", "cosign-keys", name);

    // The public keys the vectors README lists for the two good fixtures.
    [Theory]
    [InlineData(
        "sigstore-labeled.key",
        "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7z9gA/tqa9iHt/f9F3ulyVi4lwqU"
        + "LfHWfhG2mK4eyJ8LDcLstb+VVhxj3pkMjc3fNo+sSfiIY2NLR7c+DG1V4w==")]
    [InlineData(
        "cosign-labeled.key",
        "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAECYtspttZZ7e9PMd8wyU2CWDlpEXN"
        + "bqTve0ZBuOXu9xTjtm7Z107cVLCCk96Ma4D0tesnKeCPwrcspLz7GNZJSw==")]
    public async Task GoodFixture_LoadsWithItsPassword_AndHasThePublishedPublicKey(string name, string spki)
    {
        using CosignPrivateKey key = await CosignPrivateKey.LoadFileAsync(KeyFile(name), Password);

        Assert.Equal(PublicKeyAlgorithm.EcdsaP256, key.PublicKey.Algorithm);
        Assert.Equal(spki, Convert.ToBase64String(key.PublicKey.SubjectPublicKeyInfo.Span));
    }

    [Theory]
    [InlineData("sigstore-labeled.key")]
    [InlineData("cosign-labeled.key")]
    public async Task GoodFixture_SignsSignaturesItsPublicKeyVerifies(string name)
    {
        using CosignPrivateKey key = await CosignPrivateKey.LoadFileAsync(KeyFile(name), Password);
        using EcdsaSigner signer = key.CreateSigner();
        byte[] data = "conformance"u8.ToArray();

        byte[] signature = signer.SignData(data);

        Assert.True(key.PublicKey.VerifyData(data, signature));
    }

    [Theory]
    [InlineData("sigstore-labeled.key")]
    [InlineData("cosign-labeled.key")]
    public async Task GoodFixture_ReencryptedByCoffer_LoadsAgain(string name)
    {
        using CosignPrivateKey key = await CosignPrivateKey.LoadFileAsync(KeyFile(name), Password);

        using CosignPrivateKey again = CosignPrivateKey.Load(key.ToEncryptedPem("other"), "other");

        Assert.Equal(key.PublicKey.Hint, again.PublicKey.Hint);
    }

    [Fact]
    public async Task Sec1Fixture_IsRefused()
    {
        var error = await Assert.ThrowsAsync<KeyFileException>(
            () => CosignPrivateKey.LoadFileAsync(KeyFile("cosign-labeled-sec1-invalid.key"), Password));

        Assert.Equal(KeyFileProblem.NotPkcs8, error.Problem);
        Assert.Contains("SEC1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sigstore-labeled.key")]
    [InlineData("cosign-labeled.key")]
    [InlineData("cosign-labeled-sec1-invalid.key")]
    public async Task AnyFixture_WithWrongPassword_IsRefused(string name)
    {
        var error = await Assert.ThrowsAsync<KeyFileException>(
            () => CosignPrivateKey.LoadFileAsync(KeyFile(name), "not-hello"));

        Assert.Equal(KeyFileProblem.WrongPassword, error.Problem);
        Assert.DoesNotContain("not-hello", error.Message + error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("extra", "cosign-keys", "release-cosign.pub")]
    [InlineData("extra", "cosign-keys", "cosign-ci-test.pub")]
    [InlineData("extra", "sigstore-go", "public-keys", "public-key-validity.pem")]
    [InlineData("extra", "sigstore-go", "examples", "publish_key.pub")]
    [InlineData("conformance", "managed-key-happy-path", "key.pub")]
    public async Task PublicKeyFixture_Parses(params string[] parts)
    {
        PublicKeyFile key = await PublicKeyFile.LoadFileAsync(SigstoreVectors.File(parts));

        Assert.Equal(44, key.Hint.Length);
        Assert.Contains("-----BEGIN PUBLIC KEY-----", key.ToPem(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagedKeyBundle_HintAndSignatureMatchItsKey()
    {
        const string Case = "managed-key-happy-path";
        PublicKeyFile key = await PublicKeyFile.LoadFileAsync(SigstoreVectors.File("conformance", Case, "key.pub"));
        byte[] json = await File.ReadAllBytesAsync(SigstoreVectors.File("conformance", Case, "bundle.sigstore.json"));
        using JsonDocument bundle = JsonDocument.Parse(json);
        JsonElement root = bundle.RootElement;
        JsonElement material = root.GetProperty("verificationMaterial");
        string? hint = material.GetProperty("publicKey").GetProperty("hint").GetString();
        byte[] signature = root.GetProperty("messageSignature").GetProperty("signature").GetBytesFromBase64();
        byte[] artifact = await File.ReadAllBytesAsync(SigstoreVectors.File("conformance", "a.txt"));

        Assert.Equal(hint, key.Hint);
        Assert.True(key.VerifyData(artifact, signature));
    }
}
