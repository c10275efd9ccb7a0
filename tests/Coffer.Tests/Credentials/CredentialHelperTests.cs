using System.Runtime.Versioning;
using System.Text.Json;
using Coffer.Credentials;

namespace Coffer.Tests.Credentials;

// Unix-mode checks run only under [UnixFact]; the attribute tells the platform analyzer so.
[UnsupportedOSPlatform("windows")]
public sealed class CredentialHelperTests : IDisposable
{
    private const string Secret = "helper-s3cr3t";

    private readonly TempDirectory _bin = new();

    public void Dispose() => _bin.Dispose();

    private CredentialHelper Helper(string name = "fake", TimeSpan? timeout = null) =>
        new(name, "/cfg/config.json", "credsStore", new CredentialHelperOptions
        {
            SearchPath = _bin.Path,
            Timeout = timeout ?? TimeSpan.FromSeconds(20),
            MaxOutputBytes = 4096,
        });

    [UnixFact]
    public async Task StoreGetErase_RoundTripThroughTheHelper()
    {
        FakeHelper.Write(_bin.Path, "fake", FakeHelper.Keeping);
        CredentialHelper helper = Helper();

        await helper.StoreAsync("ghcr.io", new RegistryCredential("alice", Secret, null));
        RegistryCredential? got = await helper.GetAsync("ghcr.io");
        bool erased = await helper.EraseAsync("ghcr.io");
        RegistryCredential? afterErase = await helper.GetAsync("ghcr.io");
        bool erasedAgain = await helper.EraseAsync("ghcr.io");

        Assert.Equal("alice", got?.Username);
        Assert.Equal(Secret, got?.Password);
        Assert.True(erased);
        Assert.Null(afterErase);
        Assert.False(erasedAgain);
    }

    [UnixFact]
    public async Task Store_SendsJsonOnStdinAndNeverTheSecretInArgsOrEnvironment()
    {
        FakeHelper.Write(_bin.Path, "fake", FakeHelper.Keeping);

        await Helper().StoreAsync("ghcr.io", new RegistryCredential("alice", Secret, null));

        using JsonDocument input = JsonDocument.Parse(FakeHelper.Recorded(_bin.Path, "store.in"));
        Assert.Equal("ghcr.io", input.RootElement.GetProperty("ServerURL").GetString());
        Assert.Equal("alice", input.RootElement.GetProperty("Username").GetString());
        Assert.Equal(Secret, input.RootElement.GetProperty("Secret").GetString());
        Assert.Equal("store\n", FakeHelper.Recorded(_bin.Path, "args.log"));
        Assert.DoesNotContain(Secret, FakeHelper.Recorded(_bin.Path, "env.log"), StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task GetAndErase_SendTheServerUrlOnStdin()
    {
        FakeHelper.Write(_bin.Path, "fake", FakeHelper.Keeping);

        await Helper().GetAsync("https://index.docker.io/v1/");
        await Helper().EraseAsync("ghcr.io");

        Assert.Equal("https://index.docker.io/v1/", FakeHelper.Recorded(_bin.Path, "get.in"));
        Assert.Equal("ghcr.io", FakeHelper.Recorded(_bin.Path, "erase.in"));
        Assert.Equal("get\nerase\n", FakeHelper.Recorded(_bin.Path, "args.log"));
    }

    [UnixFact]
    public async Task IdentityToken_TravelsAsTheTokenUsername()
    {
        FakeHelper.Write(_bin.Path, "fake", FakeHelper.Keeping);
        CredentialHelper helper = Helper();

        await helper.StoreAsync("ghcr.io", new RegistryCredential(null, null, "refresh-tok"));
        RegistryCredential? got = await helper.GetAsync("ghcr.io");

        string input = FakeHelper.Recorded(_bin.Path, "store.in");
        Assert.Contains("\"Username\":\"<token>\"", input, StringComparison.Ordinal);
        Assert.Null(got?.Username);
        Assert.Null(got?.Password);
        Assert.Equal("refresh-tok", got?.IdentityToken);
    }

    [UnixFact]
    public async Task Get_NotFoundOnStderrMeansNoCredential()
    {
        FakeHelper.Write(_bin.Path, "fake", """echo "credentials not found in native keychain" >&2; exit 1""");

        Assert.Null(await Helper().GetAsync("ghcr.io"));
    }

    [UnixFact]
    public async Task Get_EmptySecretMeansNoCredential()
    {
        FakeHelper.Write(_bin.Path, "fake", """echo '{"ServerURL":"ghcr.io","Username":"u","Secret":""}'""");

        Assert.Null(await Helper().GetAsync("ghcr.io"));
    }

    [UnixFact]
    public async Task Get_Failure_NamesHelperConfigAndExitCodeButNotStdout()
    {
        FakeHelper.Write(_bin.Path, "fake", $"""
            echo '{Secret}-on-stdout'
            echo 'keychain is locked' >&2
            exit 3
            """);

        var error = await Assert.ThrowsAsync<CredentialStoreException>(() => Helper().GetAsync("ghcr.io"));

        Assert.Contains("docker-credential-fake", error.Message, StringComparison.Ordinal);
        Assert.Contains("/cfg/config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("credsStore", error.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("keychain is locked", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task Store_Failure_RedactsTheSecretFromStderr()
    {
        FakeHelper.Write(_bin.Path, "fake", """echo "could not save: $input" >&2; exit 1""");

        var error = await Assert.ThrowsAsync<CredentialStoreException>(
            () => Helper().StoreAsync("ghcr.io", new RegistryCredential("u", Secret, null)));

        Assert.Contains("could not store", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task Get_MalformedAnswer_IsReportedWithoutContent()
    {
        FakeHelper.Write(_bin.Path, "fake", $$"""echo '{"Username":"u","Secret":"{{Secret}}"'""");

        var error = await Assert.ThrowsAsync<CredentialStoreException>(() => Helper().GetAsync("ghcr.io"));

        Assert.Contains("not the expected JSON", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
    }

    [UnixFact]
    public async Task Get_WrongTypedField_IsReported()
    {
        FakeHelper.Write(_bin.Path, "fake", """echo '{"Username":"u","Secret":42}'""");

        await Assert.ThrowsAsync<CredentialStoreException>(() => Helper().GetAsync("ghcr.io"));
    }

    [Fact]
    public async Task MissingHelper_NamesHelperConfigAndFixes()
    {
        var error = await Assert.ThrowsAsync<CredentialStoreException>(() => Helper("desktop").GetAsync("ghcr.io"));

        Assert.Contains("docker-credential-desktop was not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("/cfg/config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("install docker-credential-desktop", error.Message, StringComparison.Ordinal);
        Assert.Contains("remove credsStore", error.Message, StringComparison.Ordinal);
        Assert.Contains("--registry-config", error.Message, StringComparison.Ordinal);
        Assert.Contains("--password-stdin", error.Message, StringComparison.Ordinal);
    }

    [UnixFact]
    public void ResolveExecutable_SkipsNonExecutableFilesAndRelativeDirectories()
    {
        string path = Path.Combine(_bin.Path, "docker-credential-plain");
        File.WriteAllText(path, "#!/bin/sh\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var relative = new CredentialHelper("plain", "/c", "credsStore", new CredentialHelperOptions
        {
            SearchPath = "." + Path.PathSeparator + "bin",
        });

        Assert.Null(Helper("plain").ResolveExecutable());
        Assert.Null(relative.ResolveExecutable());
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("x y")]
    public void Constructor_RejectsNamesThatAreNotPlainWords(string name)
    {
        var error = Assert.Throws<CredentialStoreException>(() => new CredentialHelper(name, "/c.json", "credsStore"));

        Assert.Contains("/c.json", error.Message, StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task SlowHelper_IsKilledAfterTheTimeout()
    {
        FakeHelper.Write(_bin.Path, "fake", "sleep 30");

        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<CredentialStoreException>(
            () => Helper(timeout: TimeSpan.FromSeconds(1)).GetAsync("ghcr.io"));

        Assert.Contains("did not finish within 1 second ", error.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15));
    }

    [UnixFact]
    public async Task Cancellation_KillsTheHelperAndThrowsOperationCanceled()
    {
        FakeHelper.Write(_bin.Path, "fake", "sleep 30");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Helper().GetAsync("ghcr.io", cancel.Token));
    }

    [UnixFact]
    public async Task ChattyHelper_IsStoppedAtTheOutputLimit()
    {
        FakeHelper.Write(_bin.Path, "fake", "head -c 1000000 /dev/zero | tr '\\0' a");

        var error = await Assert.ThrowsAsync<CredentialStoreException>(() => Helper().GetAsync("ghcr.io"));

        Assert.Contains("more than 4096 bytes", error.Message, StringComparison.Ordinal);
    }
}
