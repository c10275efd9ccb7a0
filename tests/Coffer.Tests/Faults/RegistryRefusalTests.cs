using System.Text;
using System.Text.Json;
using Coffer.Testing;
using Coffer.Tests.Cli;
using Microsoft.AspNetCore.Http;

namespace Coffer.Tests.Faults;

/// <summary>
/// Registries that refuse image-spec 1.1 manifests, answering as Amazon ECR, Docker Hub and quay.io
/// did (ORAS bugs #1133, #666, #738): the error names the likely cause and the flag that avoids it,
/// and where a flag avoids it, the same registry takes the push made with it.
/// </summary>
public sealed class RegistryRefusalTests
{
    private const string EcrBody =
        "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"Invalid parameter at 'ImageManifest' failed to " +
        "satisfy constraint: 'Invalid JSON syntax'\"}]}";

    private static readonly string[] QuayAllowedConfigs =
        ["application/vnd.oci.image.config.v1+json", "application/vnd.acme.allowed.config.v1+json"];

    [Fact]
    public async Task Push_EcrRefusingArtifactType_HintsImageSpecV1Dot0_WhichTheRegistryTakes()
    {
        await using var registry = await FakeRegistry.StartAsync();
        registry.Intercept = context => RefuseManifestAsync(context,
            manifest => manifest.TryGetProperty("artifactType", out _), 405, EcrBody);
        using var runner = new CofferRunner();
        runner.WriteFile("state.json", "{\"n\":1}"u8.ToArray());
        var reference = $"{registry.Host}/ecr/state:v1";

        var refused = await runner.RunAsync("push", "--plain-http", reference, "state.json");
        var pushed = await runner.RunAsync("push", "--plain-http", "--image-spec", "v1.0", reference, "state.json");
        var pulled = await runner.RunAsync("pull", "--plain-http", reference, "-o", "out");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("405 Method Not Allowed: UNSUPPORTED: Invalid parameter", refused.Stderr,
            StringComparison.Ordinal);
        Assert.Contains("Hint: the registry refuses the image-spec 1.1 artifactType field", refused.Stderr,
            StringComparison.Ordinal);
        Assert.Contains("push with --image-spec v1.0", refused.Stderr, StringComparison.Ordinal);
        Assert.True(pushed.ExitCode == 0, pushed.ToString());
        Assert.True(registry.TryGetManifest("ecr/state", "v1", out var manifest));
        using (var document = JsonDocument.Parse(manifest.Content))
        {
            Assert.False(document.RootElement.TryGetProperty("artifactType", out _));
            Assert.Equal("application/vnd.unknown.config.v1+json",
                document.RootElement.GetProperty("config").GetProperty("mediaType").GetString());
        }

        Assert.True(pulled.ExitCode == 0, pulled.ToString());
        Assert.Equal("{\"n\":1}", File.ReadAllText(Path.Combine(runner.WorkingDirectory, "out", "state.json")));
    }

    [Fact]
    public async Task Copy_EcrRefusingArtifactType_SaysWhatWasRefused_AndNamesNoFlagCopyLacks()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        runner.WriteFile("state.json", "{\"n\":1}"u8.ToArray());
        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/app/state:v1", "state.json");
        registry.Intercept = context => RefuseManifestAsync(context,
            manifest => manifest.TryGetProperty("artifactType", out _), 405, EcrBody);

        var copy = await runner.RunAsync("cp", "--from-plain-http", "--to-plain-http",
            $"{registry.Host}/app/state:v1", $"{registry.Host}/ecr/state:v1");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Equal(1, copy.ExitCode);
        Assert.Contains($"copy to {registry.Host}/ecr/state:v1", copy.Stderr, StringComparison.Ordinal);
        Assert.Contains("Hint: the destination refuses an image manifest with the image-spec 1.1 artifactType " +
            "field", copy.Stderr, StringComparison.Ordinal);
        Assert.Contains("a copy cannot drop the field without changing the digest", copy.Stderr,
            StringComparison.Ordinal);
        Assert.Contains("push the files there with coffer push --image-spec v1.0 instead", copy.Stderr,
            StringComparison.Ordinal);
        Assert.DoesNotContain("; push with --image-spec", copy.Stderr, StringComparison.Ordinal);
        Assert.False(registry.TryGetManifest("ecr/state", "v1", out _));
    }

    [Theory]
    [InlineData(400, "manifest invalid: unknown field \\\"artifactType\\\"")]
    [InlineData(415, "json: unknown field \\\"artifactType\\\"")]
    public async Task Push_StrictRegistryNamingTheField_GetsTheSameHint(int status, string message)
    {
        await using var registry = await FakeRegistry.StartAsync();
        var body = $"{{\"errors\":[{{\"code\":\"MANIFEST_INVALID\",\"message\":\"{message}\"}}]}}";
        registry.Intercept = context => RefuseManifestAsync(context,
            manifest => manifest.TryGetProperty("artifactType", out _), status, body);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());

        var refused = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/strict/a:v1", "a.txt");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($": {status} ", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("--image-spec v1.0", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexCreate_WithAnArtifactTypeRefused_HintsLeavingItOut()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var repository = $"{registry.Host}/ecr/multi";
        var push = await runner.RunAsync("push", "--plain-http", "--image-spec", "v1.0", $"{repository}:a", "a.txt");
        registry.Intercept = context => RefuseManifestAsync(context,
            manifest => manifest.TryGetProperty("artifactType", out _), 405, EcrBody);

        var refused = await runner.RunAsync("manifest", "index", "create", "--plain-http",
            "--artifact-type", "application/vnd.acme.bundle", $"{repository}:v1", "a");
        var created = await runner.RunAsync("manifest", "index", "create", "--plain-http", $"{repository}:v1", "a");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("create the index without --artifact-type", refused.Stderr, StringComparison.Ordinal);
        Assert.True(created.ExitCode == 0, created.ToString());
    }

    [Fact]
    public async Task Attach_DockerHubLookingTheSubjectUpAsABlob_SaysTheRegistryRefusesSubjects()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        runner.WriteFile("sbom.json", "{}"u8.ToArray());
        var reference = $"{registry.Host}/hub/app:v1";
        var push = await runner.RunAsync("push", "--plain-http", reference, "a.txt");
        var subject = Line(push.Stdout, "Digest: ");
        registry.Intercept = context => RefuseManifestAsync(context,
            manifest => manifest.TryGetProperty("subject", out _), 400,
            "{\"errors\":[{\"code\":\"MANIFEST_BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"," +
            $"\"detail\":\"{subject}\"}}]}}");

        var refused = await runner.RunAsync("attach", "--plain-http", "--artifact-type", "application/vnd.example.sbom",
            reference, "sbom.json");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"Hint: the registry looked the subject {subject} up as a blob", refused.Stderr,
            StringComparison.Ordinal);
        Assert.Contains("cannot hold referrers", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("(--distribution-spec v1.1-referrers-tag) would not help", refused.Stderr,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attach_ARealMissingLayer_KeepsTheMissingBlobHint()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        runner.WriteFile("sbom.json", "{\"sbom\":true}"u8.ToArray());
        var reference = $"{registry.Host}/hub/app:v1";
        var push = await runner.RunAsync("push", "--plain-http", reference, "a.txt");
        var layer = "sha256:" + Convert.ToHexStringLower(
            System.Security.Cryptography.SHA256.HashData("{\"sbom\":true}"u8.ToArray()));
        registry.Intercept = context => RefuseManifestAsync(context,
            manifest => manifest.TryGetProperty("subject", out _), 400,
            "{\"errors\":[{\"code\":\"MANIFEST_BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"," +
            $"\"detail\":\"{layer}\"}}]}}");

        var refused = await runner.RunAsync("attach", "--plain-http", "--artifact-type", "application/vnd.example.sbom",
            reference, "sbom.json");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Hint: the registry lacks a blob the manifest names", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("subject", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_QuayRefusingTheConfigType_NamesIt_AndV1Dot0WithAnAllowedTypeIsTaken()
    {
        await using var registry = await FakeRegistry.StartAsync();
        registry.Intercept = context => RefuseManifestAsync(context,
            manifest => manifest.TryGetProperty("config", out var config)
                && !QuayAllowedConfigs.Contains(config.GetProperty("mediaType").GetString()),
            400,
            "{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":\"manifest invalid\"," +
            "\"detail\":{\"message\":\"config media type not allowed\"}}]}");
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        var reference = $"{registry.Host}/quay/app:v1";

        var refused = await runner.RunAsync("push", "--plain-http", reference, "a.txt");
        var pushed = await runner.RunAsync("push", "--plain-http", "--image-spec", "v1.0",
            "--artifact-type", "application/vnd.acme.allowed.config.v1+json", reference, "a.txt");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("this manifest's config is application/vnd.oci.empty.v1+json", refused.Stderr,
            StringComparison.Ordinal);
        Assert.Contains("with --image-spec v1.0 the config's media type is the --artifact-type", refused.Stderr,
            StringComparison.Ordinal);
        Assert.True(pushed.ExitCode == 0, pushed.ToString());
    }

    [Fact]
    public async Task Attach_QuayRefusingTheEmptyConfig_AsksForTheOperator()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "a"u8.ToArray());
        runner.WriteFile("sig.json", "{}"u8.ToArray());
        var reference = $"{registry.Host}/quay/app:v1";
        var push = await runner.RunAsync("push", "--plain-http", "--image-spec", "v1.0",
            "--artifact-type", "application/vnd.acme.allowed.config.v1+json", reference, "a.txt");
        registry.Intercept = context => RefuseManifestAsync(context,
            manifest => manifest.TryGetProperty("subject", out _), 415,
            "{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":\"manifest invalid\"}]}");

        var refused = await runner.RunAsync("attach", "--plain-http", "--artifact-type", "application/vnd.example.sig",
            reference, "sig.json");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("415 Unsupported Media Type", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("config is application/vnd.oci.empty.v1+json; ask the registry's operator to allow it",
            refused.Stderr, StringComparison.Ordinal);
    }

    // Answers a manifest PUT whose JSON body the predicate picks with the given status and body.
    private static async Task<bool> RefuseManifestAsync(
        HttpContext context, Func<JsonElement, bool> refuse, int status, string body)
    {
        var request = context.Request;
        if (request.Method != "PUT" || request.Path.Value?.Contains("/manifests/", StringComparison.Ordinal) != true)
        {
            return false;
        }

        request.EnableBuffering();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        request.Body.Position = 0;
        using var manifest = JsonDocument.Parse(buffer.ToArray());
        if (!refuse(manifest.RootElement))
        {
            return false;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body));
        return true;
    }

    private static string Line(string output, string prefix) =>
        output.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Trim();
}
