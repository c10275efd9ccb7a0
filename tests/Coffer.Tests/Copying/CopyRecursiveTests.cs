using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coffer.Testing;
using Coffer.Testing.Sigstore.Servers;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Copying;

/// <summary><c>coffer copy -r</c>: signatures and attachments go along, and stay findable and verifiable.</summary>
public sealed class CopyRecursiveTests : IAsyncLifetime
{
    private const string Identity =
        "https://github.com/coffer-test/example/.github/workflows/release.yml@refs/heads/main";

    private TestSigstoreStack _stack = null!;
    private RegistryServer _source = null!;

    public async Task InitializeAsync()
    {
        _stack = await TestSigstoreStack.StartAsync();
        _source = await RegistryServer.StartAsync(RegistryMode.NoAuth);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _stack.DisposeAsync();
    }

    private string[] Policy => ["--trusted-root", _stack.TrustedRootPath, "--certificate-identity", Identity,
        "--certificate-oidc-issuer", _stack.Issuer.Issuer];

    [Fact]
    public async Task Recursive_ToATagSchemaRegistry_CopiesSignatureAndAttachments()
    {
        await using var destination = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = Runner();
        var subject = await SignedWithAttachmentsAsync(runner, "app/x");

        var copy = await runner.RunAsync("cp", "-r", "--from-plain-http", "--to-plain-http",
            $"{_source.Host}/app/x:v1", $"{destination.Host}/mirror/x:v1");
        var discover = await runner.RunAsync("discover", "--plain-http", "--format", "json",
            $"{destination.Host}/mirror/x:v1");
        var verify = await runner.RunAsync(["verify", "--plain-http", .. Policy, $"{destination.Host}/mirror/x:v1"]);
        var tags = await runner.RunAsync("repo", "tags", "--plain-http", $"{destination.Host}/mirror/x");
        var plain = await runner.RunAsync("cp", "--from-plain-http", "--to-plain-http",
            $"{_source.Host}/app/x:v1", $"{destination.Host}/plain/x:v1");
        var unsigned = await runner.RunAsync(["verify", "--plain-http", .. Policy, $"{destination.Host}/plain/x:v1"]);

        Assert.True(copy.ExitCode == 0, copy.ToString());
        AssertTree(discover, subject);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains($"Signer: {Identity}", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains($"sha256-{subject[7..]}", tags.Stdout, StringComparison.Ordinal);
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Equal(3, unsigned.ExitCode);
    }

    [Fact]
    public async Task Recursive_ToALayout_AndOnToARegistryWithTheReferrersApi()
    {
        await using var api = await FakeRegistry.StartAsync();
        using var runner = Runner();
        var subject = await SignedWithAttachmentsAsync(runner, "app/y");

        var toLayout = await runner.RunAsync("cp", "-r", "--from-plain-http", "--to-oci-layout",
            $"{_source.Host}/app/y:v1", "backup:v1");
        var layoutTree = await runner.RunAsync("discover", "--oci-layout", "--format", "json", "backup:v1");
        var layoutVerify = await runner.RunAsync(["verify", "--oci-layout", .. Policy, "backup:v1"]);
        var toApi = await runner.RunAsync("cp", "-r", "--format", "json", "--from-oci-layout", "--to-plain-http",
            "backup:v1", $"{api.Host}/restored/y:v1");
        var apiTree = await runner.RunAsync(
            "discover", "--plain-http", "--format", "json", $"{api.Host}/restored/y:v1");
        var apiVerify = await runner.RunAsync(["verify", "--plain-http", .. Policy, $"{api.Host}/restored/y:v1"]);

        Assert.True(toLayout.ExitCode == 0, toLayout.ToString());
        Assert.Contains("[oci-layout] backup:v1", toLayout.Stdout, StringComparison.Ordinal);
        AssertTree(layoutTree, subject);
        Assert.True(layoutVerify.ExitCode == 0, layoutVerify.ToString());
        Assert.True(toApi.ExitCode == 0, toApi.ToString());
        using (var summary = JsonDocument.Parse(toApi.Stdout))
        {
            Assert.Equal(3, summary.RootElement.GetProperty("referrers").GetArrayLength());
        }

        AssertTree(apiTree, subject);
        Assert.True(apiVerify.ExitCode == 0, apiVerify.ToString());
        Assert.Equal(["v1"], api.GetTags("restored/y"));
    }

    [Fact]
    public async Task Recursive_CyclicReferrers_EndsAndCopiesEachOnce()
    {
        await using var registry = await FakeRegistry.StartAsync();
        var root = Manifest(registry, "cycle/art", "root", subject: null);
        registry.AddManifest("cycle/art", root, "application/vnd.oci.image.manifest.v1+json", "v1");
        var a = Manifest(registry, "cycle/art", "a", Descriptor(root));
        var b = Manifest(registry, "cycle/art", "b", Descriptor(a));
        var (rootDigest, aDigest, bDigest) = (Digest(root), Digest(a), Digest(b));
        registry.AddManifest("cycle/art", a, "application/vnd.oci.image.manifest.v1+json");
        registry.AddManifest("cycle/art", b, "application/vnd.oci.image.manifest.v1+json");
        var answers = new Dictionary<string, string>
        {
            [rootDigest] = Index(Descriptor(a)),
            [aDigest] = Index(Descriptor(b)),
            [bDigest] = Index(Descriptor(a), Descriptor(root)),
        };
        registry.Intercept = async context =>
        {
            var path = context.Request.Path.Value!;
            var at = path.IndexOf("/referrers/", StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            context.Response.ContentType = "application/vnd.oci.image.index.v1+json";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(answers[path[(at + 11)..]]));
            return true;
        };
        using var runner = new CofferRunner();

        var copy = runner.RunAsync("cp", "-r", "--format", "json", "--from-plain-http", "--to-oci-layout",
            $"{registry.Host}/cycle/art:v1", "layout:v1");
        var finished = await Task.WhenAny(copy, Task.Delay(TimeSpan.FromSeconds(60)));

        Assert.Same(copy, finished);
        var result = await copy;
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        Assert.Equal([aDigest, bDigest], document.RootElement.GetProperty("referrers").EnumerateArray()
            .Select(r => r.GetProperty("digest").GetString()));
    }

    // Pushes a signed artifact with an SBOM attached and a note attached to the SBOM; returns its digest.
    private async Task<string> SignedWithAttachmentsAsync(CofferRunner runner, string repository)
    {
        runner.WriteFile("app.bin", RandomNumberGenerator.GetBytes(3000));
        runner.WriteFile("sbom.json", "{\"packages\":[]}"u8.ToArray());
        var reference = $"{_source.Host}/{repository}:v1";
        var push = await runner.RunAsync("push", "--plain-http", "--sign", "--signing-config", _stack.SigningConfigPath,
            "--trusted-root", _stack.TrustedRootPath, reference, "app.bin");
        Assert.True(push.ExitCode == 0, push.ToString());
        var sbom = await runner.RunAsync("attach", "--plain-http", "--artifact-type", "application/vnd.example.sbom",
            reference, "sbom.json");
        Assert.True(sbom.ExitCode == 0, sbom.ToString());
        var note = await runner.RunAsync("attach", "--plain-http", "--artifact-type", "application/vnd.example.note",
            "-a", "reviewed=yes", $"{_source.Host}/{repository}@{Field(sbom, "Digest: ")}");
        Assert.True(note.ExitCode == 0, note.ToString());
        return Field(push, "Digest: ");
    }

    private static void AssertTree(CliResult discover, string subject)
    {
        Assert.True(discover.ExitCode == 0, discover.ToString());
        using var document = JsonDocument.Parse(discover.Stdout);
        Assert.Equal(subject, document.RootElement.GetProperty("digest").GetString());
        var children = document.RootElement.GetProperty("referrers").EnumerateArray().ToList();
        Assert.Equal(
            ["application/vnd.dev.sigstore.bundle.v0.3+json", "application/vnd.example.sbom"],
            children.Select(c => c.GetProperty("artifactType").GetString()).Order(StringComparer.Ordinal));
        var sbom = children.Single(c => c.GetProperty("artifactType").GetString() == "application/vnd.example.sbom");
        var note = Assert.Single(sbom.GetProperty("referrers").EnumerateArray().ToList());
        Assert.Equal("yes", note.GetProperty("annotations").GetProperty("reviewed").GetString());
    }

    private static byte[] Manifest(FakeRegistry registry, string repository, string text, string? subject)
    {
        registry.AddBlob(repository, "{}"u8.ToArray());
        var layer = Encoding.UTF8.GetBytes(text);
        var layerDigest = registry.AddBlob(repository, layer);
        return Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
            "\"artifactType\":\"application/vnd.example.note\",\"config\":{\"mediaType\":" +
            $"\"application/vnd.oci.empty.v1+json\",\"digest\":\"{Digest("{}"u8.ToArray())}\",\"size\":2}}," +
            $"\"layers\":[{{\"mediaType\":\"text/plain\",\"digest\":\"{layerDigest}\",\"size\":{layer.Length}}}]" +
            (subject is null ? "" : $",\"subject\":{subject}") + "}");
    }

    private static string Descriptor(byte[] manifest) =>
        "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
        $"\"digest\":\"{Digest(manifest)}\",\"size\":{manifest.Length}," +
        "\"artifactType\":\"application/vnd.example.note\"}";

    private static string Index(params string[] descriptors) =>
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[" +
        string.Join(',', descriptors) + "]}";

    private static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private static string Field(CliResult result, string prefix) =>
        result.Stdout.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Trim();

    private CofferRunner Runner()
    {
        var runner = new CofferRunner();
        foreach (var (name, value) in _stack.GitHubActionsEnvironment)
        {
            runner.Environment[name] = value;
        }

        return runner;
    }
}
