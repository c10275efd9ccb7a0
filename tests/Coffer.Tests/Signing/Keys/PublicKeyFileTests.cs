using System.Security.Cryptography;
using Coffer.Signing.Keys;

namespace Coffer.Tests.Signing.Keys;

public sealed class PublicKeyFileTests
{
    [Fact]
    public void Load_OfEcdsaP256Pem_KeepsTheDer()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] spki = ecdsa.ExportSubjectPublicKeyInfo();

        PublicKeyFile key = PublicKeyFile.Load(ecdsa.ExportSubjectPublicKeyInfoPem());

        Assert.Equal(PublicKeyAlgorithm.EcdsaP256, key.Algorithm);
        Assert.Equal(spki, key.SubjectPublicKeyInfo.ToArray());
    }

    [Fact]
    public void Load_OfEcdsaP384Pem_Works()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        PublicKeyFile key = PublicKeyFile.Load(ecdsa.ExportSubjectPublicKeyInfoPem());

        Assert.Equal(PublicKeyAlgorithm.EcdsaP384, key.Algorithm);
    }

    [Fact]
    public void Load_OfRsaPem_Works()
    {
        using var rsa = RSA.Create(2048);

        PublicKeyFile key = PublicKeyFile.Load(rsa.ExportSubjectPublicKeyInfoPem());

        Assert.Equal(PublicKeyAlgorithm.Rsa, key.Algorithm);
    }

    [Fact]
    public void Load_OfSmallRsaKey_IsRefused()
    {
        using var rsa = RSA.Create(1024);

        var error = Assert.Throws<KeyFileException>(() => PublicKeyFile.Load(rsa.ExportSubjectPublicKeyInfoPem()));

        Assert.Equal(KeyFileProblem.UnsupportedAlgorithm, error.Problem);
        Assert.Contains("1024", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OfP521Key_IsRefused()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP521);

        var error = Assert.Throws<KeyFileException>(() => PublicKeyFile.Load(ecdsa.ExportSubjectPublicKeyInfoPem()));

        Assert.Equal(KeyFileProblem.UnsupportedAlgorithm, error.Problem);
        Assert.Contains("P-521", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OfPrivateKeyPem_NamesTheLabel()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.Throws<KeyFileException>(() => PublicKeyFile.Load(ecdsa.ExportPkcs8PrivateKeyPem()));

        Assert.Equal(KeyFileProblem.WrongLabel, error.Problem);
        Assert.Contains("'PRIVATE KEY'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'PUBLIC KEY'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x00 })]
    [InlineData(new byte[] { 1, 2, 3 })]
    public void Load_OfDamagedDer_IsRefused(byte[] der)
    {
        string pem = TestKeys.Pem(der, PublicKeyFile.PemLabel);

        var error = Assert.Throws<KeyFileException>(() => PublicKeyFile.Load(pem));

        Assert.Equal(KeyFileProblem.Malformed, error.Problem);
    }

    [Fact]
    public void Load_WithTrailingBytes_IsRefused()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] der = [.. ecdsa.ExportSubjectPublicKeyInfo(), 0x00];

        var error = Assert.Throws<KeyFileException>(() => PublicKeyFile.FromSubjectPublicKeyInfo(der));

        Assert.Equal(KeyFileProblem.Malformed, error.Problem);
    }

    [Fact]
    public void Hint_IsBase64OfSha256OfTheDer()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] spki = ecdsa.ExportSubjectPublicKeyInfo();

        PublicKeyFile key = PublicKeyFile.FromSubjectPublicKeyInfo(spki);

        Assert.Equal(Convert.ToBase64String(SHA256.HashData(spki)), key.Hint);
        Assert.Equal(44, key.Hint.Length);
    }

    [Fact]
    public void ToPem_RoundTripsAndEndsWithLineBreak()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        PublicKeyFile key = PublicKeyFile.FromSubjectPublicKeyInfo(ecdsa.ExportSubjectPublicKeyInfo());

        string pem = key.ToPem();

        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", pem, StringComparison.Ordinal);
        Assert.EndsWith("-----END PUBLIC KEY-----\n", pem, StringComparison.Ordinal);
        Assert.All(pem.Split('\n'), line => Assert.True(line.Length <= 64));
        Assert.Equal(key.Hint, PublicKeyFile.Load(pem).Hint);
    }

    [Fact]
    public async Task LoadFileAsync_ReadsAFile()
    {
        using var temp = new Credentials.TempDirectory();
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string path = temp.Combine("cosign.pub");
        await File.WriteAllTextAsync(path, ecdsa.ExportSubjectPublicKeyInfoPem());

        PublicKeyFile key = await PublicKeyFile.LoadFileAsync(path);

        Assert.Equal(ecdsa.ExportSubjectPublicKeyInfo(), key.SubjectPublicKeyInfo.ToArray());
    }

    [Fact]
    public async Task LoadFileAsync_OfHugeFile_IsRefusedAsTooLarge()
    {
        using var temp = new Credentials.TempDirectory();
        string path = temp.Combine("big.pub");
        await File.WriteAllBytesAsync(path, new byte[100_000]);

        var error = await Assert.ThrowsAsync<KeyFileException>(() => PublicKeyFile.LoadFileAsync(path));

        Assert.Equal(KeyFileProblem.TooLarge, error.Problem);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyData_ChecksRsaAndEcdsaSignatures()
    {
        byte[] data = "artifact"u8.ToArray();
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);
        byte[] ecSignature = ecdsa.SignData(data, HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence);
        byte[] rsaSignature = rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        PublicKeyFile ecKey = PublicKeyFile.FromSubjectPublicKeyInfo(ecdsa.ExportSubjectPublicKeyInfo());
        PublicKeyFile rsaKey = PublicKeyFile.FromSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo());

        Assert.True(ecKey.VerifyData(data, ecSignature));
        Assert.False(ecKey.VerifyData("other"u8, ecSignature));
        Assert.True(rsaKey.VerifyData(data, rsaSignature));
        Assert.False(rsaKey.VerifyData("other"u8, rsaSignature));
    }
}
