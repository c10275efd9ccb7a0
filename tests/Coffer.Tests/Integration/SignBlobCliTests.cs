using Coffer.Tests.Cli;

namespace Coffer.Tests.Integration;

/// <summary>The sign-blob command line: never report success while skipping what was asked.</summary>
public sealed class SignBlobCliTests
{
    // Nothing listens here: should a test ever get as far as a service, it fails on this machine.
    private static readonly string[] Nowhere =
        ["--fulcio-url", "http://127.0.0.1:9", "--rekor-url", "http://127.0.0.1:9"];

    [Fact]
    public async Task SignBlob_WithoutBundle_IsAUsageErrorAndWritesNothing()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("f.txt", "f"u8.ToArray());

        var sign = await runner.RunAsync(["sign-blob", .. Nowhere, "f.txt"]);

        Assert.Equal(2, sign.ExitCode);
        Assert.Contains("--bundle", sign.Stderr, StringComparison.Ordinal);
        Assert.Single(Directory.EnumerateFileSystemEntries(runner.WorkingDirectory));
    }

    [Fact]
    public async Task SignBlob_CosignV2OutputFlags_AreRefusedNotIgnored()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("f.txt", "f"u8.ToArray());

        var sign = await runner.RunAsync(["sign-blob", .. Nowhere, "--output-signature", "f.sig", "f.txt",
            "--bundle", "f.json"]);

        Assert.Equal(2, sign.ExitCode);
        Assert.Contains("unknown flag --output-signature", sign.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(runner.WorkingDirectory, "f.json")));
    }

    [Fact]
    public async Task SignBlob_InGitHubActionsWithoutIdTokenPermission_SaysWhichPermissionIsMissing()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("f.txt", "f"u8.ToArray());
        runner.Environment["GITHUB_ACTIONS"] = "true";

        var sign = await runner.RunAsync(["sign-blob", .. Nowhere, "f.txt", "--bundle", "f.json"]);

        Assert.NotEqual(0, sign.ExitCode);
        Assert.Contains("id-token: write", sign.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(runner.WorkingDirectory, "f.json")));
    }

    [Fact]
    public async Task VerifyBlob_WithoutAPolicy_IsAUsageError()
    {
        using var runner = new CofferRunner();
        runner.WriteFile("f.txt", "f"u8.ToArray());
        runner.WriteFile("f.json", "{}"u8.ToArray());

        var verify = await runner.RunAsync("verify-blob", "f.txt", "--bundle", "f.json");

        Assert.Equal(2, verify.ExitCode);
        Assert.Contains("--certificate-identity", verify.Stderr, StringComparison.Ordinal);
    }
}
