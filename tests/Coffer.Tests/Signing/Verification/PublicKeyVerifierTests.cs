using System.Security.Cryptography;
using Coffer.Signing.Verification;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Coffer.Tests.Signing.Verification;

public sealed class PublicKeyVerifierTests
{
    private static readonly byte[] Message = "message to sign"u8.ToArray();

    [Theory]
    [InlineData(256)]
    [InlineData(384)]
    [InlineData(521)]
    public void Ecdsa_VerifiesDerSignaturesWithTheCurveHash(int bits)
    {
        using var key = ECDsa.Create(bits switch
        {
            256 => ECCurve.NamedCurves.nistP256,
            384 => ECCurve.NamedCurves.nistP384,
            _ => ECCurve.NamedCurves.nistP521,
        });
        var hash = bits switch
        {
            256 => HashAlgorithmName.SHA256,
            384 => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        };
        var signature = key.SignData(Message, hash, DSASignatureFormat.Rfc3279DerSequence);
        using var verifier = PublicKeyVerifier.FromSpki(key.ExportSubjectPublicKeyInfo());

        Assert.True(verifier.VerifyData(Message, signature));
        Assert.False(verifier.VerifyData("other"u8, signature));
        Assert.False(verifier.VerifyData(Message, key.SignData(Message, hash)));
    }

    [Fact]
    public void Ecdsa_KeyOnACurveThePlatformDoesNotKnow_IsACryptographicException()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = key.ExportSubjectPublicKeyInfo();
        byte[] p256 = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
        spki[spki.AsSpan().IndexOf(p256) + p256.Length - 1] = 0x63;

        var error = Assert.Throws<CryptographicException>(() => PublicKeyVerifier.FromSpki(spki));

        Assert.Contains("curve", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rsa_VerifiesPkcs1Sha256()
    {
        using var key = RSA.Create(2048);
        var signature = key.SignData(Message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var verifier = PublicKeyVerifier.FromSpki(key.ExportSubjectPublicKeyInfo());

        Assert.True(verifier.VerifyData(Message, signature));
        Assert.True(verifier.VerifyDigest(SHA256.HashData(Message), HashAlgorithmName.SHA256, signature));
        Assert.False(verifier.VerifyData("other"u8, signature));
    }

    [Fact]
    public void Ed25519_VerifiesPureAndPrehashed()
    {
        var secret = RandomNumberGenerator.GetBytes(Ed25519.SecretKeySize);
        var publicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(secret, 0, publicKey, 0);
        var pure = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(secret, 0, Message, 0, Message.Length, pure, 0);
        var prehashed = new byte[Ed25519.SignatureSize];
        Ed25519.SignPrehash(secret, 0, [], SHA512.HashData(Message), 0, prehashed, 0);
        using var verifier = PublicKeyVerifier.FromSpki(
            [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, .. publicKey]);

        Assert.True(verifier.VerifyData(Message, pure));
        Assert.False(verifier.VerifyData("other"u8, pure));
        Assert.True(verifier.VerifyEd25519Prehash(SHA512.HashData(Message), prehashed));
        Assert.False(verifier.VerifyDigest(SHA256.HashData(Message), HashAlgorithmName.SHA256, pure));
    }

    [Fact]
    public void UnsupportedKey_IsRefused()
    {
        using var dsa = DSA.Create(2048);

        Assert.ThrowsAny<CryptographicException>(() => PublicKeyVerifier.FromSpki(dsa.ExportSubjectPublicKeyInfo()));
        Assert.ThrowsAny<CryptographicException>(() => PublicKeyVerifier.FromSpki([1, 2, 3]));
    }
}
