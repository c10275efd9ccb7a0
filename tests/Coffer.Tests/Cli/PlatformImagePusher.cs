using System.Security.Cryptography;
using System.Text;

namespace Coffer.Tests.Cli;

/// <summary>
/// Pushes images as a build would lay them out, with <c>blob push</c> and <c>manifest push</c>: an OCI
/// image config stating the platform, one layer titled tool.txt, and the manifest under a tag. The
/// same images go to a registry or, with <c>--oci-layout</c> among the flags, into a layout.
/// </summary>
/// <param name="runner">Holds the working folder the image's files are written to.</param>
/// <param name="run">Runs a coffer command (with whatever registry flags the test needs).</param>
/// <param name="flags">Flags given before the target, such as <c>--oci-layout</c>.</param>
public sealed class PlatformImagePusher(CofferRunner runner, Func<string[], Task<CliResult>> run, params string[] flags)
{
    /// <summary>Pushes one image into <paramref name="target"/> under <paramref name="tag"/>.</summary>
    /// <returns>The manifest digest.</returns>
    public async Task<string> PushAsync(
        string target, string tag, string os, string architecture, string? variant, string content)
    {
        var layer = Encoding.UTF8.GetBytes(content);
        var variantField = variant is null ? "" : $",\"variant\":\"{variant}\"";
        var config = Encoding.UTF8.GetBytes(
            $"{{\"architecture\":\"{architecture}\",\"os\":\"{os}\"{variantField}," +
            $"\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{Digest(layer)}\"]}}}}");
        runner.WriteFile($"{tag}.config.json", config);
        runner.WriteFile($"{tag}.layer", layer);
        var manifest = Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
            "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\"," +
            $"\"digest\":\"{Digest(config)}\",\"size\":{config.Length}}}," +
            "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\"," +
            $"\"digest\":\"{Digest(layer)}\",\"size\":{layer.Length}," +
            "\"annotations\":{\"org.opencontainers.image.title\":\"tool.txt\"}}]}");
        runner.WriteFile($"{tag}.manifest.json", manifest);

        foreach (var blob in new[] { $"{tag}.config.json", $"{tag}.layer" })
        {
            var pushed = await run(["blob", "push", .. flags, target, blob]);
            Assert.True(pushed.ExitCode == 0, pushed.ToString());
        }

        var result = await run(["manifest", "push", .. flags, $"{target}:{tag}", $"{tag}.manifest.json"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return Digest(manifest);
    }

    private static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
