using System.Security.Cryptography;
using System.Text;
using Coffer.Content;

namespace Coffer.Tests.Content;

public class DigestTests
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("coffer digest test payload\n");

    [Fact]
    public void Parse_Sha256_SplitsAlgorithmAndHex()
    {
        var hex = new string('c', 64);

        var digest = Digest.Parse($"sha256:{hex}");

        Assert.Equal("sha256", digest.Algorithm);
        Assert.Equal(hex, digest.Hex);
        Assert.Equal($"sha256:{hex}", digest.ToString());
        Assert.Equal("cccccccccccc", digest.ShortHex);
    }

    [Fact]
    public void Parse_Sha512_Needs128HexDigits()
    {
        var hex = string.Concat(Enumerable.Repeat("0f", 64));

        var digest = Digest.Parse($"sha512:{hex}");

        Assert.Equal("sha512", digest.Algorithm);
        Assert.Equal(128, digest.Hex.Length);
    }

    [Theory]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(128)]
    public void Parse_Sha256WrongLength_SaysHowManyDigits(int length)
    {
        var error = Assert.Throws<FormatException>(() => Digest.Parse("sha256:" + new string('a', length)));

        Assert.Contains("64 lower-case hex digits", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(127)]
    [InlineData(129)]
    public void Parse_Sha512WrongLength_SaysHowManyDigits(int length)
    {
        var error = Assert.Throws<FormatException>(() => Digest.Parse("sha512:" + new string('a', length)));

        Assert.Contains("128 lower-case hex digits", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("A")]
    [InlineData("F")]
    [InlineData("g")]
    [InlineData(" ")]
    [InlineData("-")]
    public void Parse_NonLowerHexCharacter_IsRejected(string bad)
    {
        var hex = bad + new string('0', 63);

        Assert.False(Digest.TryParse($"sha256:{hex}", out _, out var error));
        Assert.Contains("lower-case hex", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UpperCaseHexOfRealHash_IsRejected()
    {
        var upper = Convert.ToHexString(SHA256.HashData(Payload));

        Assert.False(Digest.TryParse($"sha256:{upper}", out _, out _));
        Assert.True(Digest.TryParse($"sha256:{upper.ToLowerInvariant()}", out _, out _));
    }

    [Theory]
    [InlineData("md5:0123456789abcdef0123456789abcdef")]
    [InlineData("SHA256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha384:0000")]
    [InlineData(":0000000000000000000000000000000000000000000000000000000000000000")]
    public void Parse_UnknownAlgorithm_NamesSupportedOnes(string text)
    {
        var error = Assert.Throws<FormatException>(() => Digest.Parse(text));

        Assert.Contains("use sha256 or sha512", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256")]
    public void Parse_NoColon_SaysNoAlgorithm(string text)
    {
        var error = Assert.Throws<FormatException>(() => Digest.Parse(text));

        Assert.Contains("has no algorithm", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void TryParse_Empty_SaysEmpty(string? text)
    {
        Assert.False(Digest.TryParse(text, out var digest, out var error));
        Assert.Equal(default, digest);
        Assert.Equal("the digest is empty", error);
    }

    [Fact]
    public void Parse_VeryLongInput_TruncatesTheEcho()
    {
        var text = "sha256:" + new string('a', 5000);

        var error = Assert.Throws<FormatException>(() => Digest.Parse(text));

        Assert.True(error.Message.Length < 300, error.Message);
        Assert.Contains("...", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_MatchesSha256OfTheBytes()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Payload));

        var digest = Digest.Compute(Payload);

        Assert.Equal("sha256", digest.Algorithm);
        Assert.Equal(expected, digest.Hex);
    }

    [Fact]
    public void EmptyJson_IsTheDigestOfTwoBraces()
    {
        Assert.Equal(
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
            Digest.EmptyJson.ToString());
        Assert.Equal(Digest.Compute("{}"u8), Digest.EmptyJson);
    }

    [Fact]
    public void Matches_SameBytes_IsTrue()
    {
        var digest = Digest.Compute(Payload);

        Assert.True(digest.Matches(Payload));
    }

    [Fact]
    public void Matches_OneByteChanged_IsFalse()
    {
        var digest = Digest.Compute(Payload);
        var changed = (byte[])Payload.Clone();
        changed[^1] ^= 1;

        Assert.False(digest.Matches(changed));
    }

    [Fact]
    public void Matches_Sha512_UsesSha512()
    {
        var digest = Digest.Parse("sha512:" + Convert.ToHexStringLower(SHA512.HashData(Payload)));

        Assert.True(digest.Matches(Payload));
        Assert.False(digest.Matches(Encoding.UTF8.GetBytes("other")));
    }

    [Fact]
    public void FromHash_IncrementalSha512_EqualsParsed()
    {
        using var hash = Digest.CreateHash("sha512");
        hash.AppendData(Payload);

        var digest = Digest.FromHash("sha512", hash.GetHashAndReset());

        Assert.Equal(Digest.Parse("sha512:" + Convert.ToHexStringLower(SHA512.HashData(Payload))), digest);
    }

    [Fact]
    public void CreateHash_OfSha256Digest_HashesWithSha256()
    {
        var digest = Digest.Compute(Payload);
        using var hash = digest.CreateHash();
        hash.AppendData(Payload);

        Assert.Equal(digest, Digest.FromHash(digest.Algorithm, hash.GetHashAndReset()));
    }

    [Fact]
    public void Equality_SameText_IsEqual()
    {
        var text = "sha256:" + new string('1', 64);

        Assert.Equal(Digest.Parse(text), Digest.Parse(text));
        Assert.NotEqual(Digest.Parse(text), Digest.Parse("sha256:" + new string('2', 64)));
    }

    [Fact]
    public void ToString_Default_IsEmpty()
    {
        Assert.Equal("", default(Digest).ToString());
    }
}
