using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Coffer.Credentials;

namespace Coffer.Tests.Credentials;

// Unix-mode checks run only under [UnixFact]; the attribute tells the platform analyzer so.
[UnsupportedOSPlatform("windows")]
public sealed class DockerConfigStoreTests : IDisposable
{
    private const string Secret = "store-s3cr3t";

    private readonly TempDirectory _temp = new();

    public DockerConfigStoreTests()
    {
        Directory.CreateDirectory(BinPath);
    }

    private string ConfigPath => _temp.Combine("docker", "config.json");

    private string BinPath => _temp.Combine("bin");

    public void Dispose() => _temp.Dispose();

    private DockerConfigStore Store() =>
        new(ConfigPath, new CredentialHelperOptions { SearchPath = BinPath, Timeout = TimeSpan.FromSeconds(20) });

    private async Task WriteConfigAsync(string json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ConfigPath)!);
        await File.WriteAllTextAsync(ConfigPath, json);
    }

    private async Task<JsonNode> ReadConfigAsync() => JsonNode.Parse(await File.ReadAllTextAsync(ConfigPath))!;

    [UnixFact]
    public async Task FileStore_RoundTripsAndReportsPlaintext()
    {
        DockerConfigStore store = Store();

        StoreResult result = await store.StoreAsync("ghcr.io", new RegistryCredential("u", Secret, null), true);
        StoredCredential? got = await store.GetAsync("ghcr.io");

        Assert.Equal(new StoreResult(ConfigPath, IsPlaintext: true), result);
        Assert.Equal(Secret, got?.Credential.Password);
        Assert.Equal(ConfigPath, got?.Source);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));
    }

    [Fact]
    public async Task FileStore_WithoutPlaintextPermission_RefusesAndWritesNothing()
    {
        var error = await Assert.ThrowsAsync<CredentialStoreException>(
            () => Store().StoreAsync("ghcr.io", new RegistryCredential("u", Secret, null), allowPlaintext: false));

        Assert.Contains("Refused to store", error.Message, StringComparison.Ordinal);
        Assert.Contains("plain text", error.Message, StringComparison.Ordinal);
        Assert.Contains(ConfigPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("credsStore", error.Message, StringComparison.Ordinal);
        Assert.Contains("--password-stdin", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(ConfigPath));
    }

    [Fact]
    public async Task FileStore_DockerHubIsStoredUnderTheDockerCliKey()
    {
        await Store().StoreAsync("docker.io", new RegistryCredential("u", "p", null), true);

        JsonNode config = await ReadConfigAsync();
        Assert.NotNull(config["auths"]!["https://index.docker.io/v1/"]);
        Assert.Equal("u", (await Store().GetAsync("registry-1.docker.io"))?.Credential.Username);
    }

    [Fact]
    public async Task Erase_RemovesTheEntryAndKeepsTheRest()
    {
        await WriteConfigAsync("""
            {"auths":{"https://ghcr.io/":{"auth":"dTpw"},"quay.io":{"auth":"dTpw"}},"psFormat":"x"}
            """);

        bool erased = await Store().EraseAsync("ghcr.io");
        bool erasedAgain = await Store().EraseAsync("ghcr.io");

        Assert.True(erased);
        Assert.False(erasedAgain);
        JsonNode config = await ReadConfigAsync();
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"auths":{"quay.io":{"auth":"dTpw"}},"psFormat":"x"}"""),
            config));
    }

    [Fact]
    public async Task Erase_OnAMissingFile_ChangesNothing()
    {
        Assert.False(await Store().EraseAsync("ghcr.io"));
        Assert.False(File.Exists(ConfigPath));
    }

    [UnixFact]
    public async Task CredsStore_IsUsedForGetStoreAndErase()
    {
        FakeHelper.Write(BinPath, "fake", FakeHelper.Keeping);
        await WriteConfigAsync("""{"credsStore":"fake"}""");
        DockerConfigStore store = Store();

        StoreResult result = await store.StoreAsync("ghcr.io", new RegistryCredential("u", Secret, null), false);
        StoredCredential? got = await store.GetAsync("ghcr.io");
        bool erased = await store.EraseAsync("ghcr.io");

        Assert.Equal(new StoreResult($"docker-credential-fake (configured in {ConfigPath})", false), result);
        Assert.Equal(Secret, got?.Credential.Password);
        Assert.Equal($"docker-credential-fake (configured in {ConfigPath})", got?.Source);
        Assert.True(erased);
        Assert.Null(await store.GetAsync("ghcr.io"));
        Assert.DoesNotContain(Secret, await File.ReadAllTextAsync(ConfigPath), StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task CredHelpers_WinOverCredsStoreForTheirRegistry()
    {
        Directory.CreateDirectory(_temp.Combine("bin"));
        FakeHelper.Write(BinPath, "gh", """echo '{"ServerURL":"ghcr.io","Username":"from-gh","Secret":"1"}'""");
        await WriteConfigAsync("""{"credsStore":"missing","credHelpers":{"ghcr.io":"gh"}}""");

        StoredCredential? got = await Store().GetAsync("ghcr.io");
        var error = await Assert.ThrowsAsync<CredentialStoreException>(() => Store().GetAsync("quay.io"));

        Assert.Equal("from-gh", got?.Credential.Username);
        Assert.Contains("docker-credential-gh", got?.Source, StringComparison.Ordinal);
        Assert.Contains("docker-credential-missing", error.Message, StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task Helper_PassesTheDockerHubKeyAsServerUrl()
    {
        FakeHelper.Write(BinPath, "fake", FakeHelper.Keeping);
        await WriteConfigAsync("""{"credsStore":"fake"}""");

        await Store().GetAsync("docker.io");

        Assert.Equal("https://index.docker.io/v1/", FakeHelper.Recorded(BinPath, "get.in"));
    }

    [UnixFact]
    public async Task HelperStore_RemovesAnOldPlaintextCopyAndKeepsOtherFields()
    {
        FakeHelper.Write(BinPath, "fake", FakeHelper.Keeping);
        await WriteConfigAsync("""{"credsStore":"fake","auths":{"ghcr.io":{"auth":"b2xkOm9sZA=="}},"x":[1]}""");

        await Store().StoreAsync("ghcr.io", new RegistryCredential("u", Secret, null), false);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"credsStore":"fake","auths":{},"x":[1]}"""),
            await ReadConfigAsync()));
    }

    [Fact]
    public async Task MissingCredsStoreHelper_FailsWithTheFixAndNeverFallsBackToPlaintext()
    {
        await WriteConfigAsync("""{"credsStore":"desktop"}""");

        var error = await Assert.ThrowsAsync<CredentialStoreException>(
            () => Store().StoreAsync("r.example", new RegistryCredential("u", Secret, null), allowPlaintext: true));

        Assert.Contains("docker-credential-desktop", error.Message, StringComparison.Ordinal);
        Assert.Contains(ConfigPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("credsStore", error.Message, StringComparison.Ordinal);
        Assert.Contains("--registry-config", error.Message, StringComparison.Ordinal);
        Assert.Equal("""{"credsStore":"desktop"}""", await File.ReadAllTextAsync(ConfigPath));
    }

    [Fact]
    public async Task MalformedConfig_IsReportedOnGetWithThePath()
    {
        await WriteConfigAsync("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + Secret);

        var error = await Assert.ThrowsAsync<CredentialStoreException>(() => Store().GetAsync("ghcr.io"));

        Assert.Contains(ConfigPath, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WithNoFile_ReturnsNull()
    {
        Assert.Null(await Store().GetAsync("ghcr.io"));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("""{"auths":{"other.example:5000":{"auth":"dTpw"}}}""", false)]
    [InlineData("""{"auths":{"ghcr.io":{"auth":"dTpw"}}}""", true)]
    [InlineData("""{"auths":{"https://ghcr.io/v1/":{}}}""", true)]
    [InlineData("""{"credHelpers":{"ghcr.io":"gh"}}""", true)]
    [InlineData("""{"credsStore":"fake"}""", true)]
    [InlineData("""{"auths":""", true)]
    public async Task MayHold_SaysWhetherTheFileCanHaveACredentialAndRunsNoHelper(string? json, bool expected)
    {
        if (json is not null)
        {
            await WriteConfigAsync(json);
        }

        // No helper exists on the search path: running one would fail the lookup.
        var mayHold = await Store().MayHoldAsync("ghcr.io");

        Assert.Equal(expected, mayHold);
    }
}
