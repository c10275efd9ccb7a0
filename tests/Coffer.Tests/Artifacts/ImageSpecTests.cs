using System.Text;
using System.Text.Json;
using Coffer.Artifacts;
using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Tests.Artifacts;

/// <summary>The image-spec 1.0 and 1.1 forms of a pushed manifest, and ORAS's rules for choosing one.</summary>
public class ImageSpecTests
{
    private static readonly DateTimeOffset Now = new(2024, 2, 29, 13, 14, 15, TimeSpan.Zero);

    private static readonly FileReference ConfigFile = new("config.json", null);

    private static Descriptor Layer() => new()
    {
        MediaType = MediaTypes.LayerTar,
        Digest = Digest.Compute("data"u8).ToString(),
        Size = 4,
        Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [AnnotationKeys.Title] = "f" },
    };

    private static JsonElement Json(byte[] bytes) => JsonDocument.Parse(bytes).RootElement.Clone();

    [Fact]
    public void V1Dot0_HasNoArtifactType_AndTheTypeIsTheConfigsMediaType()
    {
        var request = new PushRequest { ImageSpec = ImageSpecVersion.V1Dot0, ArtifactType = "application/vnd.acme.x" };

        var (_, bytes) = ManifestFactory.Build(request, [Layer()], Now);
        var root = Json(bytes);

        Assert.False(root.TryGetProperty("artifactType", out _));
        var config = root.GetProperty("config");
        Assert.Equal("application/vnd.acme.x", config.GetProperty("mediaType").GetString());
        Assert.Equal(Digest.EmptyJson.ToString(), config.GetProperty("digest").GetString());
        Assert.Equal(2, config.GetProperty("size").GetInt64());
        Assert.Single(root.GetProperty("layers").EnumerateArray());
    }

    [Fact]
    public void V1Dot0_WithoutAType_UsesTheUnknownConfigType_AndNoFilesMeansNoLayers()
    {
        var (_, bytes) = ManifestFactory.Build(new PushRequest { ImageSpec = ImageSpecVersion.V1Dot0 }, [], Now);
        var root = Json(bytes);

        Assert.Equal("application/vnd.unknown.config.v1+json",
            root.GetProperty("config").GetProperty("mediaType").GetString());
        Assert.Empty(root.GetProperty("layers").EnumerateArray());
    }

    [Fact]
    public void V1Dot1_IsTheDefault()
    {
        Assert.Equal(ImageSpecVersion.V1Dot1, ManifestFactory.ImageSpecOf(new PushRequest()));
        Assert.Equal(ImageSpecVersion.V1Dot1,
            ManifestFactory.ImageSpecOf(new PushRequest { Config = ConfigFile, ArtifactType = "a/b" }));
    }

    [Fact]
    public void ConfigWithoutArtifactType_SwitchesToV1Dot0_UnlessV1Dot1WasAskedFor()
    {
        var unset = new PushRequest { Config = ConfigFile };
        var asked = new PushRequest { Config = ConfigFile, ImageSpec = ImageSpecVersion.V1Dot1 };

        Assert.Equal(ImageSpecVersion.V1Dot0, ManifestFactory.ImageSpecOf(unset));
        var error = Assert.Throws<UsageException>(() => ManifestFactory.ImageSpecOf(asked));
        Assert.Contains("needs --artifact-type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V1Dot0_RefusesConfigWithArtifactType_AndASubject()
    {
        var both = new PushRequest { ImageSpec = ImageSpecVersion.V1Dot0, Config = ConfigFile, ArtifactType = "a/b" };
        var referrer = new PushRequest
        {
            ImageSpec = ImageSpecVersion.V1Dot0,
            Subject = new Descriptor { MediaType = MediaTypes.ImageManifest, Digest = Digest.EmptyJson.ToString() },
        };

        Assert.Contains("cannot both be given",
            Assert.Throws<UsageException>(() => ManifestFactory.ImageSpecOf(both)).Message, StringComparison.Ordinal);
        Assert.Contains("no subject field",
            Assert.Throws<UsageException>(() => ManifestFactory.ImageSpecOf(referrer)).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Build_GivenConfig_KeepsIt_AndAddsConfigAnnotations()
    {
        var content = Encoding.UTF8.GetBytes("{\"k\":1}");
        var config = new Descriptor
        {
            MediaType = "application/vnd.acme.config+json",
            Digest = Digest.Compute(content).ToString(),
            Size = content.Length,
        };
        var request = new PushRequest
        {
            Config = new FileReference("c.json", config.MediaType),
            ArtifactType = "application/vnd.acme.x",
            FileAnnotations = new Dictionary<string, Dictionary<string, string>>
            {
                ["$config"] = new() { ["k"] = "v" },
            },
        };

        var (manifest, _) = ManifestFactory.Build(request, config, [Layer()], Now);

        Assert.Equal("application/vnd.acme.x", manifest.ArtifactType);
        Assert.Equal(config.Digest, manifest.Config.Digest);
        Assert.Equal("application/vnd.acme.config+json", manifest.Config.MediaType);
        Assert.Equal("v", manifest.Config.Annotations!["k"]);
        Assert.Null(config.Annotations);
    }
}
