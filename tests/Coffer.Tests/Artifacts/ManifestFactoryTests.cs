using System.Text;
using System.Text.Json;
using Coffer.Artifacts;
using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Tests.Artifacts;

public class ManifestFactoryTests
{
    private const string EmptyConfigDigest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    private static readonly DateTimeOffset Now = new(2024, 2, 29, 13, 14, 15, TimeSpan.Zero);

    private static Descriptor Layer(string title, string text) => new()
    {
        MediaType = MediaTypes.LayerTar,
        Digest = Digest.Compute(Encoding.UTF8.GetBytes(text)).ToString(),
        Size = Encoding.UTF8.GetByteCount(text),
        Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [AnnotationKeys.Title] = title,
        },
    };

    private static JsonElement Json(byte[] bytes) => JsonDocument.Parse(bytes).RootElement.Clone();

    [Fact]
    public void Build_DefaultRequest_HasTheOrasShape()
    {
        var (_, bytes) = ManifestFactory.Build(new PushRequest(), [Layer("a.txt", "alpha")], Now);
        var root = Json(bytes);

        Assert.Equal(2, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(MediaTypes.ImageManifest, root.GetProperty("mediaType").GetString());
        Assert.Equal("application/vnd.unknown.artifact.v1", root.GetProperty("artifactType").GetString());
        var config = root.GetProperty("config");
        Assert.Equal("application/vnd.oci.empty.v1+json", config.GetProperty("mediaType").GetString());
        Assert.Equal(EmptyConfigDigest, config.GetProperty("digest").GetString());
        Assert.Equal(2, config.GetProperty("size").GetInt64());
        Assert.False(config.TryGetProperty("annotations", out _));
        Assert.False(root.TryGetProperty("subject", out _));
        var layer = Assert.Single(root.GetProperty("layers").EnumerateArray());
        Assert.Equal("a.txt", layer.GetProperty("annotations").GetProperty(AnnotationKeys.Title).GetString());
    }

    [Fact]
    public void Build_DefaultRequest_WritesCreatedInUtcSeconds()
    {
        var local = new DateTimeOffset(2024, 2, 29, 15, 14, 15, 999, TimeSpan.FromHours(2));

        var (manifest, _) = ManifestFactory.Build(new PushRequest(), [], local);

        Assert.Equal("2024-02-29T13:14:15Z", manifest.Annotations![AnnotationKeys.Created]);
    }

    [Fact]
    public void Build_RequestCreated_WinsOverNow()
    {
        var request = new PushRequest { Created = DateTimeOffset.FromUnixTimeSeconds(0) };

        var (manifest, _) = ManifestFactory.Build(request, [], Now);

        Assert.Equal("1970-01-01T00:00:00Z", manifest.Annotations![AnnotationKeys.Created]);
    }

    [Fact]
    public void Build_CreatedAnnotationGiven_IsNotReplaced()
    {
        var request = new PushRequest
        {
            Annotations = new Dictionary<string, string> { [AnnotationKeys.Created] = "yesterday" },
        };

        var (manifest, _) = ManifestFactory.Build(request, [], Now);

        Assert.Equal("yesterday", manifest.Annotations![AnnotationKeys.Created]);
    }

    [Fact]
    public void Build_ArtifactType_IsWritten()
    {
        var request = new PushRequest { ArtifactType = "application/vnd.example.state.v1" };

        var (_, bytes) = ManifestFactory.Build(request, [], Now);

        Assert.Equal("application/vnd.example.state.v1", Json(bytes).GetProperty("artifactType").GetString());
    }

    [Fact]
    public void Build_NoFiles_UsesTheEmptyDescriptorAsTheOnlyLayer()
    {
        var (manifest, _) = ManifestFactory.Build(new PushRequest(), [], Now);

        var layer = Assert.Single(manifest.Layers);
        Assert.Equal(MediaTypes.Empty, layer.MediaType);
        Assert.Equal(EmptyConfigDigest, layer.Digest);
        Assert.Equal(2, layer.Size);
    }

    [Fact]
    public void Build_Layers_KeepTheirOrder()
    {
        var (manifest, _) = ManifestFactory.Build(
            new PushRequest(), [Layer("z", "1"), Layer("a", "2"), Layer("m", "3")], Now);

        Assert.Equal(["z", "a", "m"], manifest.Layers.Select(l => l.Title));
    }

    [Fact]
    public void Build_ManifestAndConfigKeysOfAnnotationFile_GoToManifestAndConfig()
    {
        var request = new PushRequest
        {
            FileAnnotations = new Dictionary<string, Dictionary<string, string>>
            {
                ["$manifest"] = new() { ["com.example.owner"] = "team-a", ["com.example.stage"] = "dev" },
                ["$config"] = new() { ["com.example.config"] = "yes" },
            },
        };

        var (_, bytes) = ManifestFactory.Build(request, [], Now);
        var root = Json(bytes);

        var annotations = root.GetProperty("annotations");
        Assert.Equal("team-a", annotations.GetProperty("com.example.owner").GetString());
        Assert.Equal("dev", annotations.GetProperty("com.example.stage").GetString());
        var config = root.GetProperty("config");
        Assert.Equal("yes", config.GetProperty("annotations").GetProperty("com.example.config").GetString());
        Assert.Equal(EmptyConfigDigest, config.GetProperty("digest").GetString());
        Assert.False(annotations.TryGetProperty("com.example.config", out _));
    }

    [Fact]
    public void Build_CommandLineAnnotation_OverridesAnnotationFile()
    {
        var request = new PushRequest
        {
            Annotations = new Dictionary<string, string> { ["com.example.stage"] = "prod" },
            FileAnnotations = new Dictionary<string, Dictionary<string, string>>
            {
                ["$manifest"] = new() { ["com.example.stage"] = "dev", ["com.example.keep"] = "kept" },
            },
        };

        var (manifest, _) = ManifestFactory.Build(request, [], Now);

        Assert.Equal("prod", manifest.Annotations!["com.example.stage"]);
        Assert.Equal("kept", manifest.Annotations["com.example.keep"]);
    }

    [Fact]
    public void Build_Annotations_AreSortedInTheBytes()
    {
        var request = new PushRequest
        {
            Annotations = new Dictionary<string, string> { ["zzz"] = "1", ["aaa"] = "2", ["mmm"] = "3" },
        };

        var (_, bytes) = ManifestFactory.Build(request, [], Now);

        var names = Json(bytes).GetProperty("annotations").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public void Build_SameInputsAndSourceDateEpoch_GiveIdenticalBytes()
    {
        PushRequest Request() => new()
        {
            ArtifactType = "application/vnd.example.v1",
            Annotations = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" },
            Created = ManifestFactory.SourceDateEpoch("1700000000"),
        };

        var (_, first) = ManifestFactory.Build(Request(), [Layer("x", "one"), Layer("y", "two")], Now);
        var (_, second) = ManifestFactory.Build(
            Request(), [Layer("x", "one"), Layer("y", "two")], Now.AddHours(5));

        Assert.Equal(first, second);
        Assert.Equal(
            "2023-11-14T22:13:20Z",
            Json(first).GetProperty("annotations").GetProperty(AnnotationKeys.Created).GetString());
    }

    [Fact]
    public void Build_Bytes_AreCompactJsonInSpecOrder()
    {
        var (_, bytes) = ManifestFactory.Build(new PushRequest(), [], Now);
        var text = Encoding.UTF8.GetString(bytes);

        Assert.StartsWith(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
            "\"artifactType\":\"application/vnd.unknown.artifact.v1\",\"config\":{",
            text,
            StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Build_NonAsciiAnnotation_IsWrittenAsUtf8()
    {
        var request = new PushRequest
        {
            Annotations = new Dictionary<string, string> { ["com.example.note"] = "caf\u00e9 \u2713" },
        };

        var (_, bytes) = ManifestFactory.Build(request, [], Now);

        Assert.Contains("\"caf\u00e9 \u2713\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Bytes_DeserialiseToTheReturnedManifest()
    {
        var (manifest, bytes) = ManifestFactory.Build(new PushRequest(), [Layer("f", "data")], Now);

        var parsed = JsonSerializer.Deserialize(bytes, ContentJsonContext.Default.ImageManifest)!;

        Assert.Equal(manifest.Layers.Single().Digest, parsed.Layers.Single().Digest);
        Assert.Equal(manifest.ArtifactType, parsed.ArtifactType);
        Assert.Equal(manifest.Annotations, parsed.Annotations);
    }

    [Fact]
    public void Build_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => ManifestFactory.Build(null!, [], Now));
        Assert.Throws<ArgumentNullException>(() => ManifestFactory.Build(new PushRequest(), null!, Now));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1700000000", 1700000000L)]
    [InlineData("253402300799", 253402300799L)]
    public void SourceDateEpoch_WholeSeconds_IsParsed(string value, long seconds)
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(seconds), ManifestFactory.SourceDateEpoch(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void SourceDateEpoch_Unset_IsNull(string? value)
    {
        Assert.Null(ManifestFactory.SourceDateEpoch(value));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("1.5")]
    [InlineData("1e9")]
    [InlineData(" 17")]
    [InlineData("17 ")]
    [InlineData("0x10")]
    [InlineData("yesterday")]
    [InlineData("253402300800")]
    [InlineData("99999999999999999999")]
    public void SourceDateEpoch_NotWholeSeconds_ThrowsUsage(string value)
    {
        var error = Assert.Throws<UsageException>(() => ManifestFactory.SourceDateEpoch(value));

        Assert.Contains($"SOURCE_DATE_EPOCH '{value}'", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }
}
