using System.Text;
using Coffer.Errors;
using Coffer.Signing.Services;

namespace Coffer.Tests.Signing.Services;

public sealed class SigningConfigTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Resolve_PicksTheNewestValidServiceOfASupportedVersion()
    {
        var config = Parse("""
            {"mediaType":"application/vnd.dev.sigstore.signingconfig.v0.2+json",
             "caUrls":[
               {"url":"https://old-ca.test","majorApiVersion":1,"validFor":{"start":"2020-01-01T00:00:00Z"}},
               {"url":"https://ca.test","majorApiVersion":1,"validFor":{"start":"2025-01-01T00:00:00Z"}},
               {"url":"https://future-ca.test","majorApiVersion":1,"validFor":{"start":"2030-01-01T00:00:00Z"}}],
             "rekorTlogUrls":[
               {"url":"https://rekor-v2.test","majorApiVersion":2,"validFor":{"start":"2025-09-01T00:00:00Z"}},
               {"url":"https://rekor.test","majorApiVersion":1,"validFor":{"start":"2021-01-01T00:00:00Z"}}],
             "tsaUrls":[{"url":"https://tsa.test/api/v1/timestamp","majorApiVersion":1,
                         "validFor":{"start":"2021-01-01T00:00:00Z","end":"2026-01-01T00:00:00Z"}}],
             "rekorTlogConfig":{"selector":"ANY"},"tsaConfig":{"selector":"ANY"}}
            """);

        var services = config.Resolve(null, Now);

        Assert.Equal(new Uri("https://ca.test"), services.Fulcio);
        Assert.Equal(new Uri("https://rekor.test"), services.Rekor);
        Assert.Null(services.Timestamp);
    }

    [Fact]
    public void Resolve_FlagsOverrideTheConfig()
    {
        var overrides = new SigningServiceOverrides
        {
            FulcioUrl = new Uri("http://127.0.0.1:1"),
            RekorUrl = new Uri("http://127.0.0.1:2"),
            TimestampUrl = new Uri("http://127.0.0.1:3/ts"),
        };

        var services = SigningConfig.PublicGood.Resolve(overrides, Now);

        Assert.Equal(new SigningServices(overrides.FulcioUrl, overrides.RekorUrl, overrides.TimestampUrl), services);
    }

    [Fact]
    public void PublicGood_NamesTheSigstoreServices()
    {
        var services = SigningConfig.PublicGood.Resolve(null, Now);

        Assert.Equal("fulcio.sigstore.dev", services.Fulcio!.Host);
        Assert.Equal("rekor.sigstore.dev", services.Rekor!.Host);
        Assert.Equal("timestamp.sigstore.dev", services.Timestamp!.Host);
    }

    [Fact]
    public void Resolve_WithOnlyRekorV2_SaysSoAndNamesTheFlag()
    {
        var config = Parse("""
            {"mediaType":"application/vnd.dev.sigstore.signingconfig.v0.2+json",
             "rekorTlogUrls":[
               {"url":"https://rekor-v2.test","majorApiVersion":2,"validFor":{"start":"2025-09-01T00:00:00Z"}}]}
            """);

        var error = Assert.Throws<CofferException>(() => config.Resolve(null, Now));

        Assert.Contains("Rekor v2", error.Message, StringComparison.Ordinal);
        Assert.Contains("--rekor-url", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"mediaType":"application/vnd.dev.sigstore.signingconfig.v0.1+json"}""", "not supported")]
    [InlineData("""{"mediaType":"MT","caUrls":[{"url":"ftp://x","majorApiVersion":1}]}""", "caUrls[0].url")]
    [InlineData("""{"mediaType":"MT","tsaUrls":[{"url":"https://t","majorApiVersion":1,"validFor":{}}]}""", "no start")]
    [InlineData("""{"mediaType":"MT","caUrls":[{"url":"https://c"}]}""", "majorApiVersion")]
    [InlineData("[1]", "not a JSON object")]
    [InlineData("{", "not JSON")]
    [InlineData("""{"mediaType":"\ud800"}""", "not valid Unicode")]
    [InlineData("""{"mediaType":"MT","caUrls":[{"url":"https://c","\udc00":1}]}""", "not valid Unicode")]
    public void Parse_RefusesMalformedConfigs(string json, string expected)
    {
        var error = Assert.ThrowsAny<CofferException>(() => Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }

    private static SigningConfig Parse(string json) =>
        SigningConfig.Parse(Encoding.UTF8.GetBytes(json.Replace("\"MT\"", $"\"{SigningConfig.MediaTypeV02}\"",
            StringComparison.Ordinal)));
}
