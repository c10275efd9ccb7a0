using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Coffer.Content;
using CsCheck;
using Coffer.Credentials;
using Coffer.Errors;
using Coffer.Http;
using Coffer.Registry;
using Coffer.Registry.Auth;
using Coffer.Signing.Bundles;
using Coffer.Signing.Keys;
using Coffer.Signing.Trust;
using Coffer.Targets;
using Coffer.Testing.Sigstore;
using Coffer.Tests.Signing.Keys;
using Xunit.Abstractions;

namespace Coffer.Tests.Properties;

/// <summary>
/// Every parser of outside input, fed random and mutated input: it either succeeds or throws only
/// the exception types its documentation names, and never takes long over one input.
/// </summary>
public sealed class ParserPropertyTests(ITestOutputHelper output)
{
    private static readonly Uri Registry = new("http://127.0.0.1:5000/");

    [Fact]
    public void Reference_TryParse_NeverThrows_AndWhatItAcceptsPrintsBackTheSame()
    {
        var gen = Fuzz.Mutated(
            "ghcr.io/owner/repo:latest",
            "127.0.0.1:5000/a/b/c@sha256:" + new string('a', 64),
            "localhost/x:v1.0-rc_1@sha512:" + new string('0', 128),
            "docker.io/library/name:tag",
            "registry.example.com:443/deep/path/to/repo__x.y-z");

        Fuzz.Run(output, "Reference.TryParse", gen, text =>
        {
            if (Reference.TryParse(text, out var reference, out var error))
            {
                var again = Reference.Parse(reference.ToString());
                Assert.Equal(reference.ToString(), again.ToString());
                return true;
            }

            Assert.False(string.IsNullOrEmpty(error));
            Assert.Throws<FormatException>(() => Reference.Parse(text));
            return false;
        }, _ => false, 3000);
    }

    [Fact]
    public void Digest_TryParse_NeverThrows_AndWhatItAcceptsIsWhatWasWritten()
    {
        var gen = Fuzz.Mutated(
            "sha256:" + new string('0', 64),
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
            "sha512:" + string.Concat(Enumerable.Repeat("0f", 64)));

        Fuzz.Run(output, "Digest.TryParse", gen, text =>
        {
            if (Digest.TryParse(text, out var digest, out var error))
            {
                Assert.Equal(text, digest.ToString());
                return true;
            }

            Assert.False(string.IsNullOrEmpty(error));
            return false;
        }, _ => false, 5000);
    }

    [Fact]
    public void AuthChallenge_Parse_NeverThrows()
    {
        var gen = Fuzz.Mutated(
            "Bearer realm=\"https://auth.example/token\",service=\"registry\",scope=\"repository:a:pull\"",
            "Basic realm=\"testreg\"",
            "Bearer realm=\"http://127.0.0.1:5031/token\",service=\"x\",error=\"insufficient_scope\", Basic realm=y",
            "Bearer realm=\"a\\\"b\", scope=\"repository:a:pull,push repository:b:pull\"",
            "Negotiate, Bearer realm=unquoted");

        Fuzz.Run(output, "AuthChallenge.Parse", gen, text =>
        {
            var challenges = AuthChallenge.Parse(text);
            foreach (var challenge in challenges)
            {
                Assert.False(string.IsNullOrEmpty(challenge.Scheme));
                _ = challenge["realm"];
            }

            return challenges.Count > 0;
        }, _ => false, 4000);
    }

    [Fact]
    public void NextLink_Find_ReturnsSameOriginOrNull_OrThrowsCofferException()
    {
        var gen = Fuzz.Mutated(
            "</v2/a/tags/list?n=10&last=b>; rel=\"next\"",
            "<http://127.0.0.1:5000/v2/_catalog?last=x>; rel=\"next\", </v2/_catalog?last=a>; rel=\"prev\"",
            "<https://other.example/v2/a/tags/list>; rel=next",
            "<//127.0.0.1:5000/v2/x>; rel=\"prev next\"; title=\"a,b\"",
            "<javascript:alert(1)>; rel=\"next\"");

        Fuzz.Run(output, "NextLink.Find", gen, text =>
        {
            using var response = new HttpResponseMessage(HttpStatusCode.OK)
            {
                RequestMessage = new HttpRequestMessage(HttpMethod.Get, new Uri(Registry, "/v2/a/tags/list")),
            };
            if (!response.Headers.TryAddWithoutValidation("Link", text))
            {
                return false;
            }

            var next = NextLink.Find(response, Registry, "listing tags");
            if (next is not null)
            {
                Assert.True(Origin.Same(next, Registry), $"followed {next} off {Registry}");
            }

            return next is not null;
        }, e => e is CofferException, 4000);
    }

    [Fact]
    public void NextLink_Find_HostThatIdnMappingRefuses_IsNotAUrl()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("Link", "<http://12\u0637.0.0.1:5000/v2/_catalog>; rel=\"next\"");

        var e = Assert.Throws<CofferException>(() => NextLink.Find(response, Registry, "listing tags"));
        Assert.Contains("not a URL", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DockerConfigFile_Parse_LoneSurrogateKey_IsRefused()
    {
        var bytes = "{\"auths\":{\"\\ud800\":{\"auth\":\"eDp5\"}}}"u8.ToArray();

        Assert.Throws<CredentialStoreException>(
            () => DockerConfigFile.Parse(Path.Combine(Path.GetTempPath(), "config.json"), bytes));
    }

    [Fact]
    public void ManifestAndIndexJson_ParseOrThrowJsonException()
    {
        var manifest = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "artifactType":"application/vnd.coffer.file.v1",
             "config":{"mediaType":"application/vnd.oci.empty.v1+json",
               "digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
               "size":2,"data":"e30="},
             "layers":[{"mediaType":"application/json",
               "digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":62285,
               "annotations":{"org.opencontainers.image.title":"state.json"}}],
             "subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json",
               "digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","size":512},
             "annotations":{"org.opencontainers.image.created":"2026-01-01T00:00:00Z"}}
            """;
        var index = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
             "manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",
               "digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","size":7143,
               "artifactType":"application/vnd.dev.sigstore.bundle.v0.3+json",
                 "platform":{"architecture":"amd64","os":"linux"}}]}
            """;
        var gen = Fuzz.MutatedUtf8(manifest, index);

        Fuzz.Run(output, "manifest/index JSON (ContentJsonContext)", gen, bytes =>
        {
            _ = JsonSerializer.Deserialize(bytes, ContentJsonContext.Default.ImageManifest);
            _ = JsonSerializer.Deserialize(bytes, ContentJsonContext.Default.ImageIndex);
            _ = JsonSerializer.Deserialize(bytes, ContentJsonContext.Default.ManifestProbe);
            return true;
        }, e => e is JsonException, 4000);
    }

    [Fact]
    public void DockerConfigFile_Parse_SucceedsOrThrowsCredentialStoreException()
    {
        var gen = Fuzz.MutatedUtf8(
            "{\"auths\":{\"ghcr.io\":{\"auth\":\"dXNlcjpwYXNz\"}," +
                "\"https://index.docker.io/v1/\":{\"username\":\"u\",\"password\":\"p\"}}}",
            "{\"credsStore\":\"desktop\",\"credHelpers\":{\"123.dkr.ecr.eu-west-1.amazonaws.com\":\"ecr-login\"}," +
                "\"auths\":{\"x.io\":{\"identitytoken\":\"t\"}}}",
            """{"auths":{"127.0.0.1:5000":{"auth":"Zm9vOmJhcjpiYXo="}},"psFormat":"table"}""",
            "");
        var path = Path.Combine(Path.GetTempPath(), "coffer-fuzz", "config.json");

        Fuzz.Run(output, "DockerConfigFile.Parse", gen, bytes =>
        {
            var file = DockerConfigFile.Parse(path, bytes);
            _ = file.CredentialsStore;
            _ = file.CredentialHelpers;
            foreach (var key in file.AuthKeys)
            {
                _ = file.GetCredential(key);
            }

            return true;
        }, e => e is CredentialStoreException, 4000);
    }

    [Fact]
    public void BundleSerializer_Parse_SucceedsOrThrowsBundleFormatException()
    {
        string timestamped, dsse;
        using (var authority = new TestSigstoreAuthority())
        {
            using var signed = authority.Sign("artifact"u8.ToArray(), new SignOptions { Timestamp = true });
            timestamped = BundleSerializer.Serialize(signed.Bundle);
        }

        using (var authority = new TestSigstoreAuthority())
        {
            using var signed = authority.Sign("artifact"u8.ToArray(), new SignOptions { Dsse = true });
            dsse = BundleSerializer.Serialize(signed.Bundle);
        }

        var gen = Fuzz.MutatedUtf8(timestamped, dsse);

        Fuzz.Run(output, "BundleSerializer.Parse", gen, bytes => BundleSerializer.Parse(bytes) is not null,
            e => e is BundleFormatException, 2000);
    }

    [Fact]
    public void TrustedRootSerializer_Parse_SucceedsOrThrowsTrustedRootFormatException()
    {
        var publicGood = TrustedRootSerializer.Serialize(TrustedRootSerializer.PublicGood);
        string test;
        using (var authority = new TestSigstoreAuthority())
        {
            test = TrustedRootSerializer.Serialize(authority.TrustedRoot());
        }

        var gen = Fuzz.MutatedUtf8(publicGood, test);

        Fuzz.Run(output, "TrustedRootSerializer.Parse", gen, bytes => TrustedRootSerializer.Parse(bytes) is not null,
            e => e is TrustedRootFormatException, 1500);
    }

    [Fact]
    public void PublicKeyFile_Load_SucceedsOrThrowsKeyFileException()
    {
        string ecdsa;
        using (var key = CosignPrivateKey.Generate())
        {
            ecdsa = key.PublicKey.ToPem();
        }

        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var rsaPem = rsa.ExportSubjectPublicKeyInfoPem() + "\n";
        var gen = Fuzz.Mutated(ecdsa, rsaPem, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");

        Fuzz.Run(output, "PublicKeyFile.Load", gen, text => PublicKeyFile.Load(text) is not null,
            e => e is KeyFileException, 3000);
    }

    [Fact]
    public void CosignPrivateKey_Load_WithAWrongPassword_ThrowsKeyFileException()
    {
        var gen = Fuzz.Mutated(TestKeys.LegacyPem);

        Fuzz.Run(output, "CosignPrivateKey.Load (wrong password)", gen, text =>
        {
            using var key = CosignPrivateKey.Load(text, "not the password");
            Assert.Fail("a wrong password opened the key");
            return true;
        }, e => e is KeyFileException, 150);
    }

    [Fact]
    public void IdentityToken_Parse_SucceedsOrThrowsCofferException()
    {
        string[] claims =
        [
            "{\"iss\":\"https://token.actions.githubusercontent.com\",\"sub\":\"repo:o/r:ref:refs/heads/main\"," +
                "\"aud\":\"sigstore\",\"exp\":1767225600,\"job_workflow_ref\":\"o/r/.github/workflows/a.yml@main\"}",
            "{\"iss\":\"https://accounts.example\",\"sub\":\"1234\",\"aud\":[\"sigstore\",\"other\"]," +
                "\"email\":\"ci@example.test\",\"email_verified\":true,\"exp\":1767225600,\"iat\":1767222000}",
        ];
        static string Jwt(string payload) => "eyJhbGciOiJSUzI1NiJ9." +
            System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload)) + ".c2ln";

        // The whole token mutated as text, or its claims mutated as JSON inside a well-formed JWT.
        var gen = Gen.OneOf(Fuzz.Mutated([.. claims.Select(Jwt)]), Gen.Select(Fuzz.Mutated(claims), Jwt));

        Fuzz.Run(output, "IdentityToken.Parse", gen, text =>
        {
            var token = Coffer.Signing.Keyless.IdentityToken.Parse(text, "fuzz");
            Assert.False(string.IsNullOrEmpty(token.Issuer));
            Assert.False(string.IsNullOrEmpty(token.Subject));
            return true;
        }, e => e is CofferException, 4000);
    }

    [Fact]
    public void SigningConfig_Parse_SucceedsOrThrowsCofferException()
    {
        var config = """
            {"mediaType":"application/vnd.dev.sigstore.signingconfig.v0.2+json",
             "caUrls":[{"url":"https://fulcio.coffer.test","majorApiVersion":1,
               "validFor":{"start":"2024-01-01T00:00:00Z"},"operator":"coffer.test"}],
             "oidcUrls":[{"url":"https://oauth2.coffer.test/auth","majorApiVersion":1,
               "validFor":{"start":"2024-01-01T00:00:00Z","end":"2030-01-01T00:00:00.5Z"}}],
             "rekorTlogUrls":[{"url":"https://rekor.coffer.test","majorApiVersion":1,
               "validFor":{"start":"2024-01-01T00:00:00Z"}},{"url":"https://log2026.rekor.coffer.test",
               "majorApiVersion":2,"validFor":{"start":"2026-01-01T00:00:00Z"}}],
             "tsaUrls":[{"url":"https://tsa.coffer.test/api/v1/timestamp","majorApiVersion":1,
               "validFor":{"start":"2024-01-01T00:00:00Z"}}],
             "rekorTlogConfig":{"selector":"ANY"},"tsaConfig":{"selector":"ANY"}}
            """;

        Fuzz.Run(output, "SigningConfig.Parse", Fuzz.MutatedUtf8(config), bytes =>
        {
            var parsed = Coffer.Signing.Services.SigningConfig.Parse(bytes);
            _ = parsed.Resolve(null, DateTimeOffset.UtcNow);
            return true;
        }, e => e is CofferException, 3000);
    }

    [Fact]
    public void EncryptedKeyEnvelope_Parse_SucceedsOrThrowsKeyFileException_BeforeAnyKeyDerivation()
    {
        var envelope = TestKeys.Envelope(TestKeys.LegacyPem).ToJsonString();

        Fuzz.Run(output, "EncryptedKeyEnvelope.Parse", Fuzz.MutatedUtf8(envelope), bytes =>
            EncryptedKeyEnvelope.Parse(bytes, "the fuzzed key").Ciphertext.Length > 0,
            e => e is KeyFileException, 3000);
    }

    [Fact]
    public void CredentialHelper_GetOutput_SucceedsOrThrowsCredentialStoreException_WithoutTheSecret()
    {
        var helper = new CredentialHelper("fuzz", "/home/u/.docker/config.json", "credsStore");
        var gen = Fuzz.MutatedUtf8(
            """{"ServerURL":"ghcr.io","Username":"octocat","Secret":"s3cret-value"}""",
            """{"ServerURL":"127.0.0.1:5000","Username":"<token>","Secret":"refresh.token.value"}""",
            "{\"Username\":null,\"Secret\":\"\\u00e9\\ud83d\\ude00\"}\n",
            """{"Secret":""}""",
            """{"Username\ud800":"a","Secret":"\udc00"}""",
            " \r\n");

        Fuzz.Run(output, "CredentialHelper get output", gen, bytes =>
        {
            try
            {
                var credential = helper.ParseGetOutput("ghcr.io", [.. bytes]);
                _ = credential?.ToString();
                return credential is not null;
            }
            catch (CredentialStoreException e)
            {
                // The message is shown to the user; it must not quote what the helper printed.
                Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
                Assert.DoesNotContain("refresh.token", e.Message, StringComparison.Ordinal);
                throw;
            }
        }, e => e is CredentialStoreException, 4000);
    }

    [Fact]
    public void OciLayout_IndexAndMarker_ParseOrThrowCofferException()
    {
        var index = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
             {"mediaType":"application/vnd.oci.image.manifest.v1+json",
              "digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","size":512,
              "annotations":{"org.opencontainers.image.ref.name":"v1"}},
             {"mediaType":"application/vnd.oci.image.index.v1+json",
              "digest":"sha256:3333333333333333333333333333333333333333333333333333333333333333","size":7143}]}
            """;
        var folder = Path.Combine(Path.GetTempPath(), $"coffer-fuzz-layout-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "index.json"), index);
        try
        {
            Fuzz.Run(output, "OCI layout index.json", Fuzz.MutatedUtf8(index, "{}", """{"manifests":null}"""),
                bytes =>
                {
                    var parsed = LayoutIndex.Parse(bytes, "fuzz");
                    var tags = parsed.Tags.ToList();
                    var again = LayoutIndex.Parse(parsed.ToBytes(), "fuzz");
                    Assert.Equal(tags, again.Tags);
                    return true;
                }, e => e is CofferException, 3000);

            var marker = Fuzz.MutatedUtf8("""{"imageLayoutVersion":"1.0.0"}""", """{"imageLayoutVersion":"1.1"}""");
            Fuzz.Run(output, "OCI layout oci-layout", marker, bytes =>
            {
                File.WriteAllBytes(Path.Combine(folder, "oci-layout"), bytes);
                using var layout = OciLayout.Open(folder, writable: false);
                return layout.TagsAsync(null, "fuzz").GetAwaiter().GetResult().Count == 1;
            }, e => e is CofferException, 1000);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void DirectoryLayer_Unpack_StaysInItsFolder_OrRefusesWithCofferException_LeavingNothing()
    {
        var sandbox = Path.Combine(Path.GetTempPath(), $"coffer-fuzz-tar-{Guid.NewGuid():N}");
        var request = new Coffer.Artifacts.PullRequest { MaxExtractEntries = 12, MaxExtractSize = 64 * 1024 };
        var gen = Gen.Select(Gen.Int[1, 8], Gen.Int, Gen.Int[0, 6], (entries, seed, mutations) =>
        {
            var random = new Random(seed);
            var tar = LayerTar(entries, random);
            return mutations < 4 ? tar : Fuzz.MutateBytes(tar, mutations - 3, random);
        });

        Directory.CreateDirectory(sandbox);
        try
        {
            Fuzz.Run(output, "directory layer tar", gen, tar =>
            {
                var archive = Path.Combine(sandbox, "layer.tar.gz");
                using (var file = File.Create(archive))
                using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
                {
                    gzip.Write(tar);
                }

                var destination = Path.Combine(sandbox, "out", "dir");
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                try
                {
                    var (staging, _) = Coffer.Artifacts.ArtifactPuller.Unpack(
                        archive, destination, "dir", Digest.Compute(tar), request, "pull");
                    AssertStaysInside(staging, Path.Combine(sandbox, "out"));
                    Assert.Equal([staging], Directory.GetFileSystemEntries(Path.Combine(sandbox, "out")));
                    Assert.Equal([Path.Combine(sandbox, "out")], Directory.GetFileSystemEntries(sandbox));
                    return true;
                }
                catch (CofferException)
                {
                    Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(sandbox, "out")));
                    Assert.Equal([Path.Combine(sandbox, "out")], Directory.GetFileSystemEntries(sandbox));
                    throw;
                }
                finally
                {
                    Directory.Delete(Path.Combine(sandbox, "out"), recursive: true);
                }
            }, e => e is CofferException, 800);
        }
        finally
        {
            Directory.Delete(sandbox, recursive: true);
        }
    }

    // A tar of a few entries drawn from names, link targets and types that matter to a
    // directory layer titled "dir": safe ones, and ones that climb, are absolute or repeat.
    private static byte[] LayerTar(int entries, Random random)
    {
        string[] names =
        [
            "dir/", "dir/a.txt", "dir/sub/", "dir/sub/b.txt", "./dir/c", "dir//d", "dir/.", "dir/link",
            "dir/link/x", "dir/../x", "../dir/x", "/dir/x", "other/x", "C:/dir/x", "dir\\..\\x", "dir/a.txt/y",
            "dir/sub/link2", "dir/sub/link2/z", "dir/é😀",
        ];
        string[] targets =
        [
            "a.txt", "../a.txt", "../../x", "/etc/passwd", "sub/b.txt", "sub/../../x", ".", "..", "link", "dir/a.txt",
            "sub", "../..",
        ];
        System.Formats.Tar.TarEntryType[] types =
        [
            System.Formats.Tar.TarEntryType.RegularFile, System.Formats.Tar.TarEntryType.Directory,
            System.Formats.Tar.TarEntryType.SymbolicLink, System.Formats.Tar.TarEntryType.HardLink,
            System.Formats.Tar.TarEntryType.Fifo, System.Formats.Tar.TarEntryType.CharacterDevice,
        ];
        var buffer = new MemoryStream();
        using (var writer = new System.Formats.Tar.TarWriter(buffer, System.Formats.Tar.TarEntryFormat.Pax, true))
        {
            for (var i = 0; i < entries; i++)
            {
                var type = types[random.Next(types.Length)];
                var name = names[random.Next(names.Length)];
                var entry = new System.Formats.Tar.PaxTarEntry(type, name);
                if (type is System.Formats.Tar.TarEntryType.SymbolicLink or System.Formats.Tar.TarEntryType.HardLink)
                {
                    entry.LinkName = targets[random.Next(targets.Length)];
                }
                else if (type == System.Formats.Tar.TarEntryType.RegularFile)
                {
                    entry.DataStream = new MemoryStream(new byte[random.Next(0, 3) * 4096]);
                }

                writer.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }

    // Every link below the unpacked folder resolves inside the output folder: a link may climb to
    // the folder the pull writes into (where the layer's title sits), never past it.
    private static void AssertStaysInside(string top, string outputFolder)
    {
        var root = Path.GetFullPath(outputFolder) + Path.DirectorySeparatorChar;
        foreach (var path in Directory.EnumerateFileSystemEntries(top, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target)
            {
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, target));
                Assert.True((resolved + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal),
                    $"the link {path} leads to {resolved}, outside {outputFolder}");
            }
        }
    }
}
