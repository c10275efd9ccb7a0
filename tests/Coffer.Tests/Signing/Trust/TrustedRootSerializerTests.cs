using System.Text.Json.Nodes;
using Coffer.Signing.Trust;
using Coffer.Testing.Sigstore;

namespace Coffer.Tests.Signing.Trust;

public sealed class TrustedRootSerializerTests : IDisposable
{
    private readonly TestSigstoreAuthority _authority = new();

    private readonly string _directory = Directory.CreateTempSubdirectory("coffer-root-").FullName;

    public void Dispose()
    {
        _authority.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void PublicGood_IsEmbeddedAndComplete()
    {
        var root = TrustedRootSerializer.PublicGood;

        Assert.Contains(root.Tlogs, l => l.BaseUrl == "https://rekor.sigstore.dev");
        Assert.Contains(root.Tlogs, l => l.PublicKey!.KeyDetails == "PKIX_ED25519");
        Assert.NotEmpty(root.CertificateAuthorities);
        Assert.NotEmpty(root.Ctlogs);
        Assert.Contains(root.TimestampAuthorities,
            t => t.Uri!.Contains("timestamp.sigstore.dev", StringComparison.Ordinal));
    }

    [Fact]
    public void PublicGood_IsStoredMinified()
    {
        using var stream = typeof(TrustedRoot).Assembly.GetManifestResourceStream(
            TrustedRootSerializer.PublicGoodResourceName)!;
        using var reader = new StreamReader(stream);

        var text = reader.ReadToEnd();

        Assert.DoesNotContain("\n  ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_ThenParse_RoundTrips()
    {
        var json = TrustedRootSerializer.Serialize(_authority.TrustedRoot());

        var parsed = TrustedRootSerializer.Parse(json);

        Assert.Equal(json, TrustedRootSerializer.Serialize(parsed));
    }

    [Fact]
    public void ReadFile_UserRoot_ReplacesTheDefault()
    {
        var path = Path.Combine(_directory, "trusted_root.json");
        File.WriteAllText(path, TrustedRootSerializer.Serialize(_authority.TrustedRoot()));

        var root = TrustedRootSerializer.ReadFile(path);

        Assert.Equal(2, root.Tlogs.Count);
        Assert.DoesNotContain(root.Tlogs, l => l.BaseUrl == "https://rekor.sigstore.dev");
    }

    [Theory]
    [InlineData("tlogs")]
    [InlineData("ctlogs")]
    public void Parse_LogWithoutValidityStart_IsMalformed(string field)
    {
        var node = JsonNode.Parse(TrustedRootSerializer.Serialize(_authority.TrustedRoot()))!;
        node[field]![0]!["publicKey"]!["validFor"]!.AsObject().Remove("start");

        var error = Assert.Throws<TrustedRootFormatException>(() => TrustedRootSerializer.Parse(node.ToJsonString()));

        Assert.Contains($"{field}[0].publicKey.validFor has no start", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("certificateAuthorities")]
    [InlineData("timestampAuthorities")]
    public void Parse_AuthorityWithoutValidityStart_IsMalformed(string field)
    {
        var node = JsonNode.Parse(TrustedRootSerializer.Serialize(_authority.TrustedRoot()))!;
        node[field]![0]!["validFor"]!.AsObject().Remove("start");

        var error = Assert.Throws<TrustedRootFormatException>(() => TrustedRootSerializer.Parse(node.ToJsonString()));

        Assert.Contains("has no start", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownMediaType_IsRefused()
    {
        var node = JsonNode.Parse(TrustedRootSerializer.Serialize(_authority.TrustedRoot()))!;
        node["mediaType"] = "application/vnd.dev.sigstore.trustedroot+json;version=9";

        Assert.Throws<TrustedRootFormatException>(() => TrustedRootSerializer.Parse(node.ToJsonString()));
    }

    [Fact]
    public void ValidityPeriod_IsClosedAtBothEnds()
    {
        var start = DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var period = new ValidityPeriod { Start = start, End = start.AddDays(1) };

        Assert.True(period.Contains(start));
        Assert.True(period.Contains(start.AddDays(1)));
        Assert.False(period.Contains(start.AddTicks(-1)));
        Assert.False(period.Contains(start.AddDays(1).AddTicks(1)));
        Assert.True(new ValidityPeriod { Start = start }.Contains(start.AddYears(100)));
        Assert.False(new ValidityPeriod().Contains(start));
    }
}
