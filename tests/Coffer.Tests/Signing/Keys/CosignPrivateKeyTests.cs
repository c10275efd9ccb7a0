using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Coffer.Signing.Keys;

namespace Coffer.Tests.Signing.Keys;

public sealed class CosignPrivateKeyTests
{
    [Fact]
    public void ToEncryptedPem_WritesTheCurrentCosignFormat()
    {
        using CosignPrivateKey key = CosignPrivateKey.Generate();

        string pem = key.ToEncryptedPem("pw");
        JsonObject envelope = TestKeys.Envelope(pem);

        Assert.StartsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
        Assert.EndsWith("-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
        Assert.Equal("scrypt", (string?)envelope["kdf"]!["name"]);
        Assert.Equal(65536, (int)envelope["kdf"]!["params"]!["N"]!);
        Assert.Equal(8, (int)envelope["kdf"]!["params"]!["r"]!);
        Assert.Equal(1, (int)envelope["kdf"]!["params"]!["p"]!);
        Assert.Equal(32, Convert.FromBase64String((string)envelope["kdf"]!["salt"]!).Length);
        Assert.Equal("nacl/secretbox", (string?)envelope["cipher"]!["name"]);
        Assert.Equal(24, Convert.FromBase64String((string)envelope["cipher"]!["nonce"]!).Length);
    }

    [Fact]
    public void Load_OfWrittenKey_GivesTheSameKey()
    {
        using CosignPrivateKey original = CosignPrivateKey.Generate();
        string pem = original.ToEncryptedPem("pw");

        using CosignPrivateKey loaded = CosignPrivateKey.Load(pem, "pw");

        Assert.Equal(
            original.PublicKey.SubjectPublicKeyInfo.ToArray(), loaded.PublicKey.SubjectPublicKeyInfo.ToArray());
        Assert.Equal(PublicKeyAlgorithm.EcdsaP256, loaded.PublicKey.Algorithm);
    }

    [Fact]
    public void Load_WithEmptyPassword_Works()
    {
        using CosignPrivateKey original = CosignPrivateKey.Generate();
        string pem = original.ToEncryptedPem("", ScryptParameters.Legacy);

        using CosignPrivateKey loaded = CosignPrivateKey.Load(pem, "");

        Assert.Equal(original.PublicKey.Hint, loaded.PublicKey.Hint);
    }

    [Theory]
    [InlineData(CosignPrivateKey.PemLabel)]
    [InlineData(CosignPrivateKey.LegacyPemLabel)]
    public void Load_AcceptsBothCosignLabels(string label)
    {
        string pem = TestKeys.Pem(TestKeys.Envelope(TestKeys.LegacyPem), label);

        using CosignPrivateKey key = CosignPrivateKey.Load(pem, TestKeys.Password);

        Assert.Equal(PublicKeyAlgorithm.EcdsaP256, key.PublicKey.Algorithm);
    }

    [Fact]
    public void Load_WithWrongPassword_SaysSoWithoutTheSecrets()
    {
        var error = Assert.Throws<KeyFileException>(() => CosignPrivateKey.Load(TestKeys.LegacyPem, "wrong-pw"));

        Assert.Equal(KeyFileProblem.WrongPassword, error.Problem);
        Assert.Contains("wrong password or damaged key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-pw", error.Message + error.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain(TestKeys.Password, error.Message + error.Hint, StringComparison.Ordinal);
        Assert.Contains("COSIGN_PASSWORD", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(-1)]
    public void Load_OfTamperedCiphertext_IsRefusedAsDamaged(int position)
    {
        JsonObject envelope = TestKeys.Envelope(TestKeys.LegacyPem);
        byte[] ciphertext = Convert.FromBase64String((string)envelope["ciphertext"]!);
        ciphertext[position < 0 ? ciphertext.Length - 1 : position] ^= 0x01;
        envelope["ciphertext"] = Convert.ToBase64String(ciphertext);

        var error = Assert.Throws<KeyFileException>(
            () => CosignPrivateKey.Load(TestKeys.Pem(envelope), TestKeys.Password));

        Assert.Equal(KeyFileProblem.WrongPassword, error.Problem);
    }

    [Fact]
    public void Load_OfChangedNonce_IsRefused()
    {
        JsonObject envelope = TestKeys.Envelope(TestKeys.LegacyPem);
        byte[] nonce = Convert.FromBase64String((string)envelope["cipher"]!["nonce"]!);
        nonce[5] ^= 0x80;
        envelope["cipher"]!["nonce"] = Convert.ToBase64String(nonce);

        var error = Assert.Throws<KeyFileException>(
            () => CosignPrivateKey.Load(TestKeys.Pem(envelope), TestKeys.Password));

        Assert.Equal(KeyFileProblem.WrongPassword, error.Problem);
    }

    [Theory]
    [InlineData(1L << 20, 8, 1)]
    [InlineData(1L << 30, 8, 1)]
    [InlineData(1L << 40, 8, 1)]
    [InlineData(65536, 64, 1)]
    [InlineData(65536, 8, 16)]
    [InlineData(65536, 8, 2)]
    [InlineData(16384, 8, 1)]
    [InlineData(65535, 8, 1)]
    [InlineData(0, 8, 1)]
    [InlineData(-65536, 8, 1)]
    [InlineData(32768, 1, 1)]
    public void Load_WithOtherScryptSettings_IsRefusedBeforeDeriving(long n, long r, long p)
    {
        JsonObject envelope = TestKeys.Envelope(TestKeys.LegacyPem);
        envelope["kdf"]!["params"] = new JsonObject { ["N"] = n, ["r"] = r, ["p"] = p };
        string pem = TestKeys.Pem(envelope);

        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<KeyFileException>(() => CosignPrivateKey.Load(pem, TestKeys.Password));
        watch.Stop();

        // Deriving with the large settings would take seconds to hours; a refusal takes microseconds.
        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(500), $"took {watch.Elapsed}");
        Assert.Equal(KeyFileProblem.UnsupportedEncryption, error.Problem);
        Assert.Contains($"N={n}, r={r}, p={p}", error.Message, StringComparison.Ordinal);
        Assert.Contains("131072", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kdf", "argon2id")]
    [InlineData("cipher", "aes-256-gcm")]
    public void Load_WithOtherKdfOrCipher_IsRefused(string member, string name)
    {
        JsonObject envelope = TestKeys.Envelope(TestKeys.LegacyPem);
        envelope[member]!["name"] = name;

        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<KeyFileException>(
            () => CosignPrivateKey.Load(TestKeys.Pem(envelope), TestKeys.Password));
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(500), $"took {watch.Elapsed}");
        Assert.Equal(KeyFileProblem.UnsupportedEncryption, error.Problem);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WithALoneSurrogateEscapeAsTheKdfName_IsMalformed()
    {
        // Valid JSON, but no .NET string holds "\ud800".
        string json = TestKeys.Envelope(TestKeys.LegacyPem).ToJsonString()
            .Replace("\"name\":\"scrypt\"", "\"name\":\"\\ud800\"", StringComparison.Ordinal);
        Assert.Contains("\\ud800", json, StringComparison.Ordinal);

        var error = Assert.Throws<KeyFileException>(
            () => CosignPrivateKey.Load(TestKeys.Pem(Encoding.UTF8.GetBytes(json)), TestKeys.Password));

        Assert.Equal(KeyFileProblem.Malformed, error.Problem);
    }

    [Fact]
    public void Load_OfSec1Plaintext_IsRefused()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string pem = CosignPrivateKey.Seal(ecdsa.ExportECPrivateKey(), "pw", ScryptParameters.Legacy);

        var error = Assert.Throws<KeyFileException>(() => CosignPrivateKey.Load(pem, "pw"));

        Assert.Equal(KeyFileProblem.NotPkcs8, error.Problem);
        Assert.Contains("SEC1", error.Message, StringComparison.Ordinal);
        Assert.Contains("PKCS#8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OfP384Key_IsRefusedAsUnsupported()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        string pem = CosignPrivateKey.Seal(ecdsa.ExportPkcs8PrivateKey(), "pw", ScryptParameters.Legacy);

        var error = Assert.Throws<KeyFileException>(() => CosignPrivateKey.Load(pem, "pw"));

        Assert.Equal(KeyFileProblem.UnsupportedAlgorithm, error.Problem);
        Assert.Contains("P-384", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OfRsaKey_IsRefusedAsUnsupported()
    {
        using var rsa = RSA.Create(2048);
        string pem = CosignPrivateKey.Seal(rsa.ExportPkcs8PrivateKey(), "pw", ScryptParameters.Legacy);

        var error = Assert.Throws<KeyFileException>(() => CosignPrivateKey.Load(pem, "pw"));

        Assert.Equal(KeyFileProblem.UnsupportedAlgorithm, error.Problem);
        Assert.Contains("RSA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OfGarbagePlaintext_IsRefusedAsDamaged()
    {
        string pem = CosignPrivateKey.Seal([1, 2, 3, 4], "pw", ScryptParameters.Legacy);

        var error = Assert.Throws<KeyFileException>(() => CosignPrivateKey.Load(pem, "pw"));

        Assert.Equal(KeyFileProblem.Malformed, error.Problem);
    }

    [Theory]
    [InlineData("PUBLIC KEY")]
    [InlineData("EC PRIVATE KEY")]
    [InlineData("ENCRYPTED PRIVATE KEY")]
    public void Load_WithWrongLabel_NamesTheLabels(string label)
    {
        string pem = TestKeys.Pem(TestKeys.Envelope(TestKeys.LegacyPem), label);

        var error = Assert.Throws<KeyFileException>(() => CosignPrivateKey.Load(pem, TestKeys.Password));

        Assert.Equal(KeyFileProblem.WrongLabel, error.Problem);
        Assert.Contains($"'{label}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(CosignPrivateKey.PemLabel, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a key at all")]
    [InlineData("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n@@@@\n"
        + "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n")]
    public void Load_OfTextWithoutPem_IsRefused(string text)
    {
        var error = Assert.Throws<KeyFileException>(() => CosignPrivateKey.Load(text, "pw"));

        Assert.Equal(KeyFileProblem.NotPem, error.Problem);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"kdf\":{}}")]
    [InlineData("not json")]
    public void Load_OfMalformedJson_IsRefused(string body)
    {
        string pem = TestKeys.Pem(System.Text.Encoding.UTF8.GetBytes(body));

        var error = Assert.Throws<KeyFileException>(() => CosignPrivateKey.Load(pem, "pw"));

        Assert.Equal(KeyFileProblem.Malformed, error.Problem);
    }

    [Theory]
    [InlineData("salt")]
    [InlineData("nonce")]
    [InlineData("ciphertext")]
    public void Load_WithBadBase64Member_NamesIt(string member)
    {
        JsonObject envelope = TestKeys.Envelope(TestKeys.LegacyPem);
        JsonObject parent = member switch
        {
            "salt" => envelope["kdf"]!.AsObject(),
            "nonce" => envelope["cipher"]!.AsObject(),
            _ => envelope,
        };
        parent[member] = "%%% not base64 %%%";

        var error = Assert.Throws<KeyFileException>(
            () => CosignPrivateKey.Load(TestKeys.Pem(envelope), TestKeys.Password));

        Assert.Equal(KeyFileProblem.Malformed, error.Problem);
        Assert.Contains($"'{member}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WithShortNonce_IsRefused()
    {
        JsonObject envelope = TestKeys.Envelope(TestKeys.LegacyPem);
        envelope["cipher"]!["nonce"] = Convert.ToBase64String(new byte[12]);

        var error = Assert.Throws<KeyFileException>(
            () => CosignPrivateKey.Load(TestKeys.Pem(envelope), TestKeys.Password));

        Assert.Equal(KeyFileProblem.Malformed, error.Problem);
        Assert.Contains("nonce", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WithDuplicateMember_IsRefused()
    {
        string json = TestKeys.Envelope(TestKeys.LegacyPem).ToJsonString();
        string doubled = json.Insert(json.Length - 1, ",\"ciphertext\":\"AAAA\"");

        string pem = TestKeys.Pem(System.Text.Encoding.UTF8.GetBytes(doubled));

        var error = Assert.Throws<KeyFileException>(() => CosignPrivateKey.Load(pem, TestKeys.Password));

        Assert.Equal(KeyFileProblem.Malformed, error.Problem);
    }

    [Fact]
    public void Load_OfHugeText_IsRefusedAsTooLarge()
    {
        string text = new('A', 200_000);

        var error = Assert.Throws<KeyFileException>(() => CosignPrivateKey.Load(text, "pw"));

        Assert.Equal(KeyFileProblem.TooLarge, error.Problem);
    }

    [Fact]
    public async Task LoadFileAsync_OfMissingFile_NamesThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"coffer-missing-{Guid.NewGuid():N}.key");

        var error = await Assert.ThrowsAsync<KeyFileException>(() => CosignPrivateKey.LoadFileAsync(path, "pw"));

        Assert.Equal(KeyFileProblem.Unreadable, error.Problem);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateSigner_SignsWithTheSameKey()
    {
        using CosignPrivateKey key = CosignPrivateKey.Load(TestKeys.LegacyPem, TestKeys.Password);
        byte[] data = "hello coffer"u8.ToArray();

        byte[] signature;
        using (EcdsaSigner signer = key.CreateSigner())
        {
            signature = signer.SignData(data);
        }

        Assert.True(key.PublicKey.VerifyData(data, signature));
    }
}
