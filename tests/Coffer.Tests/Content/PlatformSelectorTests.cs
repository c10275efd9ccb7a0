using Coffer.Content;

namespace Coffer.Tests.Content;

public class PlatformSelectorTests
{
    private static Descriptor Entry(string digestSeed, string? platform) => new()
    {
        MediaType = MediaTypes.ImageManifest,
        Digest = Digest.Compute(System.Text.Encoding.UTF8.GetBytes(digestSeed)).ToString(),
        Size = 100,
        Platform = platform is null ? null : Platform.Parse(platform),
    };

    [Theory]
    [InlineData("linux/amd64", "linux", "amd64", null, null)]
    [InlineData("linux/arm64/v8", "linux", "arm64", "v8", null)]
    [InlineData("windows/amd64:10.0.17763.1040", "windows", "amd64", null, "10.0.17763.1040")]
    [InlineData("linux/arm/v7:5.10", "linux", "arm", "v7", "5.10")]
    public void Parse_TheFlagForms(string text, string os, string architecture, string? variant, string? osVersion)
    {
        var platform = Platform.Parse(text);

        Assert.Equal(os, platform.Os);
        Assert.Equal(architecture, platform.Architecture);
        Assert.Equal(variant, platform.Variant);
        Assert.Equal(osVersion, platform.OsVersion);
        Assert.Equal(text, platform.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("linux")]
    [InlineData("linux/")]
    [InlineData("/amd64")]
    [InlineData("linux/arm64/v8/extra")]
    [InlineData("linux/amd64:")]
    [InlineData("linux /amd64")]
    [InlineData("linux//v8")]
    public void TryParse_Malformed_SaysWhatTheFormIs(string text)
    {
        Assert.False(Platform.TryParse(text, out var platform, out var error));
        Assert.Null(platform);
        Assert.Contains("os/arch", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("linux/amd64", "linux/amd64", true)]
    [InlineData("linux/amd64", "linux/arm64", false)]
    [InlineData("linux/amd64", "windows/amd64", false)]
    [InlineData("linux/arm/v7", "linux/arm", true)]
    [InlineData("linux/arm/v6", "linux/arm/v7", false)]
    [InlineData("linux/arm", "linux/arm/v7", false)]
    [InlineData("windows/amd64:10.0.1", "windows/amd64", true)]
    [InlineData("windows/amd64:10.0.1", "windows/amd64:10.0.1", true)]
    [InlineData("windows/amd64:10.0.1", "windows/amd64:10.0.2", false)]
    [InlineData("windows/amd64", "windows/amd64:10.0.1", false)]
    public void Matches_VariantAndOsVersionCountOnlyWhenWanted(string candidate, string wanted, bool expected)
    {
        Assert.Equal(expected, PlatformSelector.Matches(Platform.Parse(candidate), Platform.Parse(wanted)));
    }

    [Theory]
    [InlineData("linux/arm64/v8", "linux/arm64")]
    [InlineData("linux/arm64", "linux/arm64/v8")]
    [InlineData("linux/arm64/v8", "linux/arm64/v8")]
    public void Matches_Arm64V8AndNoVariantAreOnePlatform(string candidate, string wanted)
    {
        Assert.True(PlatformSelector.Matches(Platform.Parse(candidate), Platform.Parse(wanted)));
    }

    [Fact]
    public void Matches_Arm64OtherVariants_StayDistinct()
    {
        Assert.False(PlatformSelector.Matches(Platform.Parse("linux/arm64/v9"), Platform.Parse("linux/arm64/v8")));
        Assert.False(PlatformSelector.Matches(Platform.Parse("linux/arm64"), Platform.Parse("linux/arm64/v9")));
    }

    [Fact]
    public void Matches_WantedOsFeatures_MustAllBePresent()
    {
        var candidate = Platform.Parse("windows/amd64");
        candidate.OsFeatures = ["win32k", "other"];
        var wanted = Platform.Parse("windows/amd64");
        wanted.OsFeatures = ["win32k"];
        var stricter = Platform.Parse("windows/amd64");
        stricter.OsFeatures = ["win32k", "missing"];

        Assert.True(PlatformSelector.Matches(candidate, wanted));
        Assert.False(PlatformSelector.Matches(candidate, stricter));
        Assert.False(PlatformSelector.Matches(Platform.Parse("windows/amd64"), wanted));
    }

    [Fact]
    public void Matches_NoStatedPlatform_IsNoMatch()
    {
        Assert.False(PlatformSelector.Matches(null, Platform.Parse("linux/amd64")));
    }

    [Fact]
    public void Select_TakesTheFirstMatchingEntry()
    {
        Descriptor[] entries =
        [
            Entry("artifact", null),
            Entry("amd64", "linux/amd64"),
            Entry("arm64-a", "linux/arm64/v8"),
            Entry("arm64-b", "linux/arm64"),
        ];

        Assert.Same(entries[1], PlatformSelector.Select(entries, Platform.Parse("linux/amd64")));
        Assert.Same(entries[2], PlatformSelector.Select(entries, Platform.Parse("linux/arm64")));
        Assert.Same(entries[2], PlatformSelector.Select(entries, Platform.Parse("linux/arm64/v8")));
        Assert.Null(PlatformSelector.Select(entries, Platform.Parse("linux/s390x")));
    }

    [Fact]
    public void Describe_ListsEachStatedPlatformOnce()
    {
        Descriptor[] entries =
        [
            Entry("a", "linux/amd64"), Entry("b", null), Entry("c", "linux/arm64/v8"), Entry("d", "linux/amd64"),
        ];

        Assert.Equal("linux/amd64, linux/arm64/v8", PlatformSelector.Describe(entries));
        Assert.Contains("no entry states a platform", PlatformSelector.Describe([Entry("x", null)]),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Platform_FromAnImageConfig_ReadsTheTopLevelFields()
    {
        var config = """
            {"architecture":"amd64","os":"windows","os.version":"10.0.20348.1","os.features":["win32k"],
             "variant":"v3","config":{"Env":["A=B"]},"rootfs":{"type":"layers","diff_ids":[]}}
            """u8.ToArray();

        var platform = System.Text.Json.JsonSerializer.Deserialize(config, ContentJsonContext.Default.Platform)!;

        Assert.Equal("windows/amd64/v3:10.0.20348.1", platform.ToString());
        Assert.Equal(["win32k"], platform.OsFeatures!);
    }
}
