using System.Formats.Asn1;
using System.Security.Cryptography;
using Coffer.Signing.Keys;

namespace Coffer.Tests.Signing.Keys;

public sealed class EcdsaSignerTests
{
    private static readonly byte[] Data = "payload to sign"u8.ToArray();

    [Fact]
    public void SignDigest_MakesDerSignatureOverTheDigest()
    {
        using EcdsaSigner signer = EcdsaSigner.Generate();

        byte[] signature = signer.SignDigest(SHA256.HashData(Data));

        // DER: SEQUENCE { INTEGER r, INTEGER s }, not the 64-byte IEEE P1363 form.
        var reader = new AsnReader(signature, AsnEncodingRules.DER);
        AsnReader sequence = reader.ReadSequence();
        sequence.ReadInteger();
        sequence.ReadInteger();
        Assert.False(sequence.HasData);
        Assert.True(signer.PublicKey.VerifyData(Data, signature));
    }

    [Fact]
    public async Task SignDataAsync_MatchesSignData()
    {
        using EcdsaSigner signer = EcdsaSigner.Generate();
        using var stream = new MemoryStream(Data);

        byte[] fromStream = await signer.SignDataAsync(stream);
        byte[] fromSpan = signer.SignData(Data);

        Assert.True(signer.PublicKey.VerifyData(Data, fromStream));
        Assert.True(signer.PublicKey.VerifyData(Data, fromSpan));
    }

    [Fact]
    public void SignDigest_OfWrongLength_Throws()
    {
        using EcdsaSigner signer = EcdsaSigner.Generate();

        Assert.Throws<ArgumentException>(() => signer.SignDigest(new byte[48]));
    }

    [Fact]
    public void Create_CopiesTheKey_AndRefusesOtherCurves()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        using (EcdsaSigner signer = EcdsaSigner.Create(p256))
        {
            Assert.Equal(p256.ExportSubjectPublicKeyInfo(), signer.PublicKey.SubjectPublicKeyInfo.ToArray());
            Assert.Equal(p256.ExportSubjectPublicKeyInfoPem() + "\n", signer.PublicKeyPem);
        }

        // The caller's key still works after the signer is gone.
        Assert.NotEmpty(p256.SignData(Data, HashAlgorithmName.SHA256));
        Assert.Throws<ArgumentException>(() => EcdsaSigner.Create(p384));
    }

    [Fact]
    public void AfterDispose_SigningThrows()
    {
        EcdsaSigner signer = EcdsaSigner.Generate();
        signer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => signer.SignData(Data));
    }
}
