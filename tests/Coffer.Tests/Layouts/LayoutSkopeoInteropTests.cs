using System.Security.Cryptography;
using Coffer.Artifacts;
using Coffer.Registry;
using Coffer.Targets;
using Coffer.Testing;
using Coffer.Tests.Cli;
using Coffer.Tests.Integration;
using Coffer.Tests.Targets;

namespace Coffer.Tests.Layouts;

/// <summary>OCI layouts Coffer writes are read by skopeo, and layouts skopeo writes are read by Coffer.</summary>
public sealed class LayoutSkopeoInteropTests
{
    [Fact]
    public async Task Coffer_ReadsTheLayoutSkopeoWrote()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var folder = new LayoutFolder();
        var content = RandomNumberGenerator.GetBytes(50_000);
        File.WriteAllBytes(Path.Combine(folder.Work, "data.bin"), content);
        var reference = Reference.Parse($"{registry.Host}/interop/to-layout:v1");
        using (var client = new RegistryClient(reference, new RegistryClientOptions { PlainHttp = true }, true))
        {
            await new ArtifactPusher(client.Repository!).PushAsync(
                new PushRequest { Files = [new FileReference("data.bin", null)], WorkingDirectory = folder.Work },
                ["v1"]);
        }

        var copy = await Tool.RunAsync(ToolCheck.Skopeo, "--insecure-policy", "copy", "--src-tls-verify=false",
            $"docker://{reference}", $"oci:{folder.Layout}:skopeo-tag");
        Assert.True(copy.ExitCode == 0, copy.Stderr);
        using var layout = OciLayout.Open(folder.Layout, writable: false);
        var output = Path.Combine(folder.Root, "out");
        var pulled = await new ArtifactPuller(layout).PullAsync(
            new PullRequest { Reference = "skopeo-tag", OutputDirectory = output });
        var tags = await layout.TagsAsync(null, "tags");

        Assert.Equal(content, File.ReadAllBytes(Path.Combine(output, "data.bin")));
        Assert.Equal(["skopeo-tag"], tags);
        Assert.Equal(pulled.Manifest.Digest, (await layout.ResolveAsync("skopeo-tag", "resolve"))!.Digest);
    }

    [Fact]
    public async Task Skopeo_ReadsTheLayoutCofferWrote_WithReferrersBesideTheTag()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var folder = new LayoutFolder();
        var content = RandomNumberGenerator.GetBytes(30_000);
        var pushed = await folder.PushAsync("report.bin", content, "v1");
        using (var layout = OciLayout.Open(folder.Layout, writable: true))
        {
            await new ReferrerPusher(layout, new Referrers(layout)).AttachAsync(pushed.Manifest,
                "application/vnd.example.note", "a note"u8.ToArray(), new Dictionary<string, string>(), "attach");
        }

        var inspect = await Tool.RunAsync(ToolCheck.Skopeo, "inspect", "--raw", $"oci:{folder.Layout}:v1");
        var copy = await Tool.RunAsync(ToolCheck.Skopeo, "--insecure-policy", "copy", "--dest-tls-verify=false",
            $"oci:{folder.Layout}:v1", $"docker://{registry.Host}/interop/from-layout:v1");
        var reference = Reference.Parse($"{registry.Host}/interop/from-layout:v1");
        using var client = new RegistryClient(reference, new RegistryClientOptions { PlainHttp = true }, false);
        var output = Path.Combine(folder.Root, "out");
        var pulled = await new ArtifactPuller(client.Repository!)
            .PullAsync(new PullRequest { OutputDirectory = output });

        Assert.True(inspect.ExitCode == 0, inspect.Stderr);
        Assert.Equal(pushed.ManifestBytes, System.Text.Encoding.UTF8.GetBytes(inspect.Stdout.TrimEnd('\n')));
        Assert.True(copy.ExitCode == 0, copy.Stderr);
        Assert.Equal(pushed.Manifest.Digest, pulled.Manifest.Digest);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(output, "report.bin")));
    }

    [Fact]
    public async Task CommandLine_PullsFromSkopeosLayout_AndSkopeoCopiesFromCoffers()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
        using var runner = new CofferRunner();
        var content = RandomNumberGenerator.GetBytes(20_000);
        runner.WriteFile("data.bin", content);
        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/interop/cli:v1", "data.bin");
        Assert.True(push.ExitCode == 0, push.ToString());

        var toLayout = await Tool.RunAsync(ToolCheck.Skopeo, "--insecure-policy", "copy", "--src-tls-verify=false",
            $"docker://{registry.Host}/interop/cli:v1", $"oci:{Path.Combine(runner.WorkingDirectory, "theirs")}:v1");
        var pull = await runner.RunAsync("pull", "--oci-layout", "theirs:v1", "-o", "out");
        var mine = await runner.RunAsync("push", "--oci-layout", "mine:v1", "data.bin");
        var manifest = await runner.RunAsync("manifest", "fetch", "--oci-layout", "mine:v1");
        var inspect = await Tool.RunAsync(ToolCheck.Skopeo, "inspect", "--raw",
            $"oci:{Path.Combine(runner.WorkingDirectory, "mine")}:v1");
        var fromLayout = await Tool.RunAsync(ToolCheck.Skopeo, "--insecure-policy", "copy", "--dest-tls-verify=false",
            $"oci:{Path.Combine(runner.WorkingDirectory, "mine")}:v1", $"docker://{registry.Host}/interop/mine:v1");
        var back = await runner.RunAsync("pull", "--plain-http", $"{registry.Host}/interop/mine:v1", "-o", "back");

        Assert.True(toLayout.ExitCode == 0, toLayout.Stderr);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "out", "data.bin")));
        Assert.True(mine.ExitCode == 0, mine.ToString());
        Assert.True(inspect.ExitCode == 0, inspect.Stderr);
        Assert.Equal(manifest.Stdout.TrimEnd('\n'), inspect.Stdout.TrimEnd('\n'));
        Assert.True(fromLayout.ExitCode == 0, fromLayout.Stderr);
        Assert.True(back.ExitCode == 0, back.ToString());
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(runner.WorkingDirectory, "back", "data.bin")));
    }
}
