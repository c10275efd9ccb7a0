using System.Text.Json;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

/// <summary>The <c>--format json</c> documents: one document on stdout, versioned, lists always present.</summary>
public sealed class JsonOutputTests
{
    [Fact]
    public async Task PushAndPull_FormatJson_PrintOneVersionedDocumentEach()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var reference = $"{registry.Host}/json/art:v1";

        var push = await runner.RunAsync("push", "--plain-http", "--format", "json", reference, "a.txt");
        var pull = await runner.RunAsync("pull", "--plain-http", "--format", "json", reference, "-o", "out");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(pull.ExitCode == 0, pull.ToString());
        using var pushed = JsonDocument.Parse(push.Stdout);
        using var pulled = JsonDocument.Parse(pull.Stdout);
        Assert.Equal(1, pushed.RootElement.GetProperty("schemaVersion").GetInt32());
        var digest = pushed.RootElement.GetProperty("digest").GetString()!;
        Assert.Equal($"{registry.Host}/json/art@{digest}", pushed.RootElement.GetProperty("reference").GetString());
        Assert.Equal(
            "application/vnd.oci.image.manifest.v1+json",
            pushed.RootElement.GetProperty("mediaType").GetString());
        Assert.Equal(
            [reference],
            pushed.RootElement.GetProperty("referenceAsTags").EnumerateArray().Select(e => e.GetString()));
        Assert.Single(pushed.RootElement.GetProperty("layers").EnumerateArray());
        Assert.Equal(1, pulled.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(digest, pulled.RootElement.GetProperty("digest").GetString());
        var file = Assert.Single(pulled.RootElement.GetProperty("files").EnumerateArray().ToList());
        Assert.Equal(Path.Combine(runner.WorkingDirectory, "out", "a.txt"), file.GetProperty("path").GetString());
        Assert.Equal(0, pulled.RootElement.GetProperty("skippedLayers").GetInt32());
    }

    [Fact]
    public async Task Push_FormatJsonWithoutTags_WritesAnEmptyTagList()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());

        var push = await runner.RunAsync(
            "push", "--plain-http", "--format", "json", $"{registry.Host}/json/untagged", "a.txt");

        Assert.True(push.ExitCode == 0, push.ToString());
        using var pushed = JsonDocument.Parse(push.Stdout);
        Assert.Equal(JsonValueKind.Array, pushed.RootElement.GetProperty("referenceAsTags").ValueKind);
        Assert.Empty(pushed.RootElement.GetProperty("referenceAsTags").EnumerateArray());
    }
}
