using System.Runtime.Versioning;
using System.Text;
using System.Text.Json.Nodes;
using Coffer.Credentials;

namespace Coffer.Tests.Credentials;

// Unix-mode checks run only under [UnixFact]; the attribute tells the platform analyzer so.
[UnsupportedOSPlatform("windows")]
public class DockerConfigFileTests
{
    private const string Secret = "s3cr3t-Pa55word";

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>The JSON of an auths entry whose auth field encodes the given text.</summary>
    private static string Auth(string userColonPassword) => $"{{\"auth\":\"{Base64(userColonPassword)}\"}}";

    private static DockerConfigFile WithEntry(string key, string entryJson) =>
        Parse("{\"auths\":{\"" + key + "\":" + entryJson + "}}");

    private static DockerConfigFile Parse(string json) =>
        DockerConfigFile.Parse(Path.Combine(Path.GetTempPath(), "config.json"), Encoding.UTF8.GetBytes(json));

    [Fact]
    public void GetCredential_ReadsAuthAsUserAndPassword()
    {
        var file = WithEntry("ghcr.io", Auth("alice:" + Secret));

        RegistryCredential? credential = file.GetCredential("ghcr.io");

        Assert.NotNull(credential);
        Assert.Equal("alice", credential.Username);
        Assert.Equal(Secret, credential.Password);
        Assert.Null(credential.IdentityToken);
    }

    [Fact]
    public void GetCredential_SplitsAtTheFirstColonOnly()
    {
        var file = WithEntry("ghcr.io", Auth("alice:pa:ss"));

        Assert.Equal("pa:ss", file.GetCredential("ghcr.io")?.Password);
    }

    [Fact]
    public void GetCredential_AcceptsAuthWithoutPadding()
    {
        string unpadded = Base64("bob:x").TrimEnd('=');
        var file = WithEntry("r.example", $"{{\"auth\":\"{unpadded}\"}}");

        Assert.Equal("bob", file.GetCredential("r.example")?.Username);
    }

    [Fact]
    public void GetCredential_ReadsIdentityToken()
    {
        var file = Parse("""{"auths":{"ghcr.io":{"identitytoken":"refresh-123"}}}""");

        RegistryCredential? credential = file.GetCredential("ghcr.io");

        Assert.NotNull(credential);
        Assert.Null(credential.Username);
        Assert.Null(credential.Password);
        Assert.Equal("refresh-123", credential.IdentityToken);
    }

    [Fact]
    public void GetCredential_ReadsIdentityTokenNextToAUsername()
    {
        var file = WithEntry("ghcr.io", $"{{\"auth\":\"{Base64("alice:")}\",\"identitytoken\":\"t\"}}");

        RegistryCredential? credential = file.GetCredential("ghcr.io");

        Assert.Equal("alice", credential?.Username);
        Assert.Equal("t", credential?.IdentityToken);
        Assert.Null(credential?.Password);
    }

    [Fact]
    public void GetCredential_ReadsLegacyUsernameAndPasswordFields()
    {
        var file = Parse("""{"auths":{"old.example":{"username":"carol","password":"pw"}}}""");

        RegistryCredential? credential = file.GetCredential("old.example");

        Assert.Equal("carol", credential?.Username);
        Assert.Equal("pw", credential?.Password);
    }

    [Fact]
    public void GetCredential_ReturnsNullForMissingOrEmptyEntries()
    {
        var file = Parse("""{"auths":{"helper.example":{},"null.example":null}}""");

        Assert.Null(file.GetCredential("helper.example"));
        Assert.Null(file.GetCredential("null.example"));
        Assert.Null(file.GetCredential("absent.example"));
        Assert.Null(Parse("{}").GetCredential("ghcr.io"));
        Assert.Null(Parse("").GetCredential("ghcr.io"));
    }

    [Theory]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("https://index.docker.io/v1/", "registry-1.docker.io")]
    [InlineData("https://ghcr.io/", "ghcr.io")]
    [InlineData("http://localhost:5000/v2/", "localhost:5000")]
    [InlineData("docker.io", "index.docker.io")]
    public void GetCredential_MatchesKeysByNormalisedHost(string key, string registry)
    {
        var file = WithEntry(key, Auth("u:p"));

        Assert.Equal("u", file.GetCredential(registry)?.Username);
        Assert.Equal(key, file.FindAuthKey(registry));
    }

    [Fact]
    public void GetCredential_PrefersTheExactKey()
    {
        var file = Parse(
            "{\"auths\":{\"https://ghcr.io/\":" + Auth("old:1") + ",\"ghcr.io\":" + Auth("new:2") + "}}");

        Assert.Equal("new", file.GetCredential("ghcr.io")?.Username);
    }

    [Fact]
    public void GetCredential_DoesNotMatchADifferentPort()
    {
        var file = WithEntry("localhost:5000", Auth("u:p"));

        Assert.Null(file.GetCredential("localhost:5001"));
    }

    [Theory]
    [InlineData("\"%%%not-base64%%%" + Secret + "\"", "base64")]
    [InlineData("\"NOCOLON\"", "user:password")]
    [InlineData("42", "not a string")]
    [InlineData("\"/w==\"", "UTF-8")]
    public void GetCredential_ReportsMalformedAuthWithoutItsContent(string authJson, string problem)
    {
        // "NOCOLON" stands for the secret-only value ORAS used to quote in its error.
        var file = authJson == "\"NOCOLON\""
            ? WithEntry("ghcr.io", Auth(Secret))
            : WithEntry("ghcr.io", "{\"auth\":" + authJson + "}");

        var error = Assert.Throws<CredentialStoreException>(() => file.GetCredential("ghcr.io"));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains("\"ghcr.io\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(file.Path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Base64(Secret), error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
    }

    [Theory]
    [InlineData("\"" + Secret + "\"")]
    [InlineData("[\"" + Secret + "\"]")]
    public void GetCredential_ReportsEntriesOfTheWrongTypeWithoutContent(string entryJson)
    {
        var file = WithEntry("ghcr.io", entryJson);

        var error = Assert.Throws<CredentialStoreException>(() => file.GetCredential("ghcr.io"));

        Assert.Contains("not a JSON object", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetCredential_ReportsAWrongTypedPasswordWithoutContent()
    {
        var file = WithEntry("ghcr.io", "{\"username\":\"u\",\"password\":{\"v\":\"" + Secret + "\"}}");

        var error = Assert.Throws<CredentialStoreException>(() => file.GetCredential("ghcr.io"));

        Assert.Contains("\"password\" field is not a string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetCredential_OneBrokenEntryDoesNotBlockOthers()
    {
        var file = Parse(
            "{\"auths\":{\"bad.example\":{\"auth\":\"!!\"},\"ghcr.io\":" + Auth("u:p") + "}}");

        Assert.Equal("u", file.GetCredential("ghcr.io")?.Username);
    }

    [Theory]
    [InlineData("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + Secret + "\"")]
    [InlineData("{\"auths\": " + Secret + "}")]
    [InlineData("{\"a\":1,\"a\":\"" + Secret + "\"}")]
    public void Parse_ReportsInvalidJsonWithoutEchoingContent(string json)
    {
        var error = Assert.Throws<CredentialStoreException>(() => Parse(json));

        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret[..4], error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
    }

    [Theory]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{\"auths\":[]}", "\"auths\" field is not a JSON object")]
    [InlineData("{\"credsStore\":1}", "\"credsStore\" field is not a string")]
    [InlineData("{\"credHelpers\":\"x\"}", "\"credHelpers\" field is not a JSON object")]
    [InlineData("{\"credHelpers\":{\"ghcr.io\":true}}", "\"credHelpers\" entry for \"ghcr.io\"")]
    public void Parse_ReportsAWrongShape(string json, string problem)
    {
        var error = Assert.Throws<CredentialStoreException>(() => Parse(json));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindCredentialHelper_PrefersCredHelpersOverCredsStore()
    {
        var file = Parse("""{"credsStore":"desktop","credHelpers":{"https://ghcr.io":"gh","x.example":""}}""");

        Assert.Equal(new CredentialHelperSetting("gh", "credHelpers[\"https://ghcr.io\"]"),
            file.FindCredentialHelper("ghcr.io"));
        Assert.Equal(new CredentialHelperSetting("desktop", "credsStore"), file.FindCredentialHelper("quay.io"));
        Assert.Equal(new CredentialHelperSetting("desktop", "credsStore"), file.FindCredentialHelper("x.example"));
        Assert.Null(Parse("""{"credsStore":""}""").FindCredentialHelper("quay.io"));
        Assert.Equal("desktop", file.CredentialsStore);
        Assert.Equal("gh", file.CredentialHelpers["https://ghcr.io"]);
    }

    [Fact]
    public void SetCredential_RefusesAUsernameWithAColonWithoutEchoingIt()
    {
        var file = Parse("{}");

        var error = Assert.Throws<CredentialStoreException>(
            () => file.SetCredential("ghcr.io", new RegistryCredential("user:" + Secret, "p", null)));

        Assert.Contains("':'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetCredential_RefusesAnAnonymousCredential()
    {
        Assert.Throws<ArgumentException>(() => Parse("{}").SetCredential("ghcr.io", RegistryCredential.Anonymous));
    }

    [Fact]
    public void SetCredential_WritesAuthAndIdentityToken()
    {
        var file = Parse("{}");

        file.SetCredential("ghcr.io", new RegistryCredential("alice", Secret, null));
        file.SetCredential("quay.io", new RegistryCredential(null, null, "refresh"));

        Assert.Equal("alice", file.GetCredential("ghcr.io")?.Username);
        Assert.Equal(Secret, file.GetCredential("ghcr.io")?.Password);
        Assert.Equal("refresh", file.GetCredential("quay.io")?.IdentityToken);
    }

    [Fact]
    public void SetCredential_StoresDockerHubUnderTheDockerCliKey()
    {
        var file = Parse("{}");

        file.SetCredential("docker.io", new RegistryCredential("u", "p", null));

        Assert.Equal(["https://index.docker.io/v1/"], file.AuthKeys);
        Assert.Equal("u", file.GetCredential("registry-1.docker.io")?.Username);
    }

    [Fact]
    public void SetCredential_ReplacesOlderSpellingsOfTheSameHost()
    {
        var file = WithEntry(
            "https://ghcr.io/", $"{{\"auth\":\"{Base64("old:1")}\",\"email\":\"a@b\"}}");

        file.SetCredential("ghcr.io", new RegistryCredential("new", "2", null));

        Assert.Equal(["ghcr.io"], file.AuthKeys);
        Assert.Equal("new", file.GetCredential("https://ghcr.io/")?.Username);
    }

    [UnixFact]
    public async Task SaveAsync_KeepsUnknownFieldsAndOtherEntries()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("config.json");
        const string original = """
            {
              "auths": {
                "quay.io": { "auth": "dTpw", "email": "me@example.com", "x-extra": [1, 2, {"n": null}] },
                "ghcr.io": { "auth": "b2xkOm9sZA==", "registrytoken": "stale" }
              },
              "credHelpers": { "gcr.io": "gcloud" },
              "psFormat": "table {{.ID}}",
              "proxies": { "default": { "httpProxy": "http://proxy:3128" } },
              "plugins": { "buildx": { "x": true } },
              "currentContext": "desktop-linux",
              "number": 1.5e3
            }
            """;
        await File.WriteAllTextAsync(path, original);

        DockerConfigFile file = await DockerConfigFile.LoadAsync(path);
        file.SetCredential("ghcr.io", new RegistryCredential("alice", Secret, null));
        await file.SaveAsync();

        JsonNode expected = JsonNode.Parse(original)!;
        expected["auths"]!["ghcr.io"] = new JsonObject { ["auth"] = Base64("alice:" + Secret) };
        JsonNode actual = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.True(JsonNode.DeepEquals(expected, actual), actual.ToJsonString());
    }

    [UnixFact]
    public async Task SaveAsync_WritesMode0600AndCreatesTheDirectoryWith0700()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("new-dir", "config.json");

        DockerConfigFile file = await DockerConfigFile.LoadAsync(path);
        file.SetCredential("ghcr.io", new RegistryCredential("u", Secret, null));
        await file.SaveAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(temp.Combine("new-dir")));
    }

    [UnixFact]
    public async Task SaveAsync_ReplacesAWorldReadableFileWithA0600OneAndLeavesNoTempFile()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("config.json");
        await File.WriteAllTextAsync(path, "{}");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);

        DockerConfigFile file = await DockerConfigFile.LoadAsync(path);
        file.SetCredential("ghcr.io", new RegistryCredential("u", Secret, null));
        await file.SaveAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(["config.json"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [UnixFact]
    public async Task SaveAsync_WritesThroughASymlinkedConfig()
    {
        using var temp = new TempDirectory();
        string realPath = temp.Combine("dotfiles", "docker.json");
        Directory.CreateDirectory(temp.Combine("dotfiles"));
        await File.WriteAllTextAsync(realPath, """{"psFormat":"x"}""");
        Directory.CreateDirectory(temp.Combine(".docker"));
        string link = temp.Combine(".docker", "config.json");
        File.CreateSymbolicLink(link, realPath);

        DockerConfigFile file = await DockerConfigFile.LoadAsync(link);
        file.SetCredential("ghcr.io", new RegistryCredential("u", "p", null));
        await file.SaveAsync();

        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("u", (await DockerConfigFile.LoadAsync(realPath)).GetCredential("ghcr.io")?.Username);
    }

    [UnixFact]
    public async Task SaveAsync_OnAnUnwritableDirectory_NamesTheFile()
    {
        using var temp = new TempDirectory();
        string directory = temp.Combine("locked");
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        string path = Path.Combine(directory, "config.json");
        try
        {
            DockerConfigFile file = await DockerConfigFile.LoadAsync(path);
            file.SetCredential("ghcr.io", new RegistryCredential("u", Secret, null));

            // Root ignores directory modes; only check the message when the write really fails.
            if (Environment.UserName != "root")
            {
                var error = await Assert.ThrowsAsync<CredentialStoreException>(() => file.SaveAsync());
                Assert.Contains(path, error.Message, StringComparison.Ordinal);
                Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task LoadAsync_TreatsAMissingFileAsEmpty()
    {
        using var temp = new TempDirectory();

        DockerConfigFile file = await DockerConfigFile.LoadAsync(temp.Combine("nope", "config.json"));

        Assert.Empty(file.AuthKeys);
        Assert.Null(file.CredentialsStore);
    }

    [Fact]
    public void RemoveCredential_RemovesEverySpellingAndKeepsTheRest()
    {
        var file = Parse(
            "{\"auths\":{\"ghcr.io\":" + Auth("a:1") + ",\"https://ghcr.io\":{},\"quay.io\":{}},\"x\":1}");

        Assert.True(file.RemoveCredential("ghcr.io"));
        Assert.False(file.RemoveCredential("ghcr.io"));
        Assert.Equal(["quay.io"], file.AuthKeys);
    }
}
