using System.Security.Cryptography;
using System.Text;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

/// <summary>skopeo, another OCI client, reads what coffer pushed, and coffer reads what skopeo pushed.</summary>
public sealed class SkopeoInteropTests
{
    [Fact]
    public async Task Skopeo_ReadsAndCopiesWhatCofferPushed()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Basic);
        using var runner = new CofferRunner();
        var content = RandomNumberGenerator.GetBytes(10_000);
        runner.WriteFile("blob.bin", content);
        var push = await runner.PipeAsync(registry.Password, "push", "--plain-http", "-u", registry.Username,
            "--password-stdin", $"{registry.Host}/interop/art:v1", "blob.bin", "--export-manifest", "m.json");
        Assert.True(push.ExitCode == 0, push.ToString());
        var creds = $"{registry.Username}:{registry.Password}";

        var inspect = await Tool.RunAsync(ToolCheck.Skopeo, "inspect", "--raw", "--tls-verify=false", "--creds", creds,
            $"docker://{registry.Host}/interop/art:v1");
        var layout = Path.Combine(runner.Root, "layout");
        var copy = await Tool.RunAsync(ToolCheck.Skopeo, "--insecure-policy", "copy", "--src-tls-verify=false",
            "--src-creds", creds, $"docker://{registry.Host}/interop/art:v1", $"oci:{layout}:v1");

        Assert.True(inspect.ExitCode == 0, inspect.Stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(runner.WorkingDirectory, "m.json")), inspect.Stdout.TrimEnd('\n'));
        Assert.True(copy.ExitCode == 0, copy.Stderr);
        var layerPath = Path.Combine(layout, "blobs", "sha256", Convert.ToHexStringLower(SHA256.HashData(content)));
        Assert.Equal(content, File.ReadAllBytes(layerPath));
    }

    [Fact]
    public async Task Coffer_PullsAnArtifactSkopeoCopiedFromAnOciLayout()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        var content = Encoding.UTF8.GetBytes("made into a layout by hand, copied by skopeo\n");
        var layout = WriteLayout(Path.Combine(runner.Root, "layout"), content, "report.txt");

        var copy = await Tool.RunAsync(ToolCheck.Skopeo, "--insecure-policy", "copy", "--dest-tls-verify=false",
            $"oci:{layout}:v1", $"docker://{registry.Host}/interop/from-skopeo:v1");
        var pull = await runner.RunAsync(
            "pull", "--plain-http", $"{registry.Host}/interop/from-skopeo:v1", "-o", "out");

        Assert.True(copy.ExitCode == 0, copy.Stderr);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "out", "report.txt")));
    }

    // An OCI image layout holding one artifact: the empty config, one titled layer, a manifest and index.json.
    private static string WriteLayout(string root, byte[] content, string title)
    {
        var blobs = Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256")).FullName;
        string Put(byte[] bytes)
        {
            var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
            File.WriteAllBytes(Path.Combine(blobs, hex), bytes);
            return "sha256:" + hex;
        }

        var config = "{}"u8.ToArray();
        var configDigest = Put(config);
        var layerDigest = Put(content);
        var manifest = Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
            "\"artifactType\":\"application/vnd.example.report\"," +
            "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\"," +
            $"\"digest\":\"{configDigest}\",\"size\":2}}," +
            $"\"layers\":[{{\"mediaType\":\"text/plain\",\"digest\":\"{layerDigest}\",\"size\":{content.Length}," +
            $"\"annotations\":{{\"org.opencontainers.image.title\":\"{title}\"}}}}]}}");
        var manifestDigest = Put(manifest);
        File.WriteAllText(Path.Combine(root, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        File.WriteAllText(Path.Combine(root, "index.json"),
            "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
            $"\"digest\":\"{manifestDigest}\",\"size\":{manifest.Length}," +
            "\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}");
        return root;
    }
}
