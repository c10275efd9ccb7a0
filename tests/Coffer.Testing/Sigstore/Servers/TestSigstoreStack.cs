using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Coffer.Signing.Bundles;
using Coffer.Signing.Trust;

namespace Coffer.Testing.Sigstore.Servers;

/// <summary>
/// A whole private Sigstore on 127.0.0.1: an OIDC issuer, Fulcio, Rekor and a TSA, plus a
/// <c>trusted_root.json</c> and a <c>signing_config.v0.2.json</c> describing them, written to a
/// temporary folder that is deleted on dispose.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "A stack of services, not a Stack<T>.")]
public sealed class TestSigstoreStack : IAsyncDisposable
{
    /// <summary>The trusted-root media type the stack writes.</summary>
    public const string TrustedRootMediaType = Coffer.Signing.Trust.TrustedRoot.MediaTypeV01;

    /// <summary>The signing-config media type the stack writes.</summary>
    public const string SigningConfigMediaType = "application/vnd.dev.sigstore.signingconfig.v0.2+json";

    private TestSigstoreStack(
        TestOidcIssuer issuer, TestFulcioServer fulcio, TestRekor rekor, TestTsa tsa, string directory)
    {
        Issuer = issuer;
        Fulcio = fulcio;
        Rekor = rekor;
        Tsa = tsa;
        Directory = directory;
    }

    /// <summary>The OIDC issuer (also the GitHub Actions token endpoint).</summary>
    public TestOidcIssuer Issuer { get; }

    /// <summary>The certificate authority.</summary>
    public TestFulcioServer Fulcio { get; }

    /// <summary>The transparency log.</summary>
    public TestRekor Rekor { get; }

    /// <summary>The time-stamp authority.</summary>
    public TestTsa Tsa { get; }

    /// <summary>The folder holding the two JSON files.</summary>
    public string Directory { get; }

    /// <summary>Path of <c>trusted_root.json</c>.</summary>
    public string TrustedRootPath => Path.Combine(Directory, "trusted_root.json");

    /// <summary>Path of <c>signing_config.v0.2.json</c>.</summary>
    public string SigningConfigPath => Path.Combine(Directory, "signing_config.v0.2.json");

    /// <summary>
    /// The environment of a GitHub Actions job with <c>permissions: id-token: write</c> whose
    /// token endpoint is <see cref="Issuer"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> GitHubActionsEnvironment => new Dictionary<string, string>
    {
        ["GITHUB_ACTIONS"] = "true",
        ["ACTIONS_ID_TOKEN_REQUEST_URL"] = Issuer.ActionsRequestUrl,
        ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = Issuer.ActionsRequestToken,
    };

    /// <summary>Starts the four servers and writes the two files.</summary>
    public static async Task<TestSigstoreStack> StartAsync(CancellationToken cancellationToken = default)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("coffer-sigstore-").FullName;
        var started = new List<IAsyncDisposable>();
        try
        {
            var issuer = await TestOidcIssuer.StartAsync(cancellationToken);
            started.Add(issuer);
            var fulcio = await TestFulcioServer.StartAsync([issuer.Issuer], cancellationToken);
            started.Add(fulcio);
            var rekor = await TestRekor.StartAsync(cancellationToken);
            started.Add(rekor);
            var tsa = await TestTsa.StartAsync(cancellationToken);
            started.Add(tsa);
            var stack = new TestSigstoreStack(issuer, fulcio, rekor, tsa, directory);

            await File.WriteAllBytesAsync(stack.TrustedRootPath, stack.TrustedRootJson(), cancellationToken);
            await File.WriteAllBytesAsync(stack.SigningConfigPath, stack.SigningConfigJson(), cancellationToken);
            return stack;
        }
        catch
        {
            // A half-started stack must not leave servers or the folder behind.
            foreach (var server in Enumerable.Reverse(started))
            {
                await server.DisposeAsync();
            }

            TryDeleteDirectory(directory);
            throw;
        }
    }

    /// <summary>The trusted root that trusts exactly this stack (and nothing else).</summary>
    public TrustedRoot TrustedRoot() => new()
    {
        MediaType = TrustedRootMediaType,
        Tlogs = [Log(Rekor.Url, Rekor.PublicKey, Rekor.LogId, Rekor.NotBefore)],
        CertificateAuthorities =
            [Authority("coffer-test fulcio", Fulcio.Url, [Fulcio.Intermediate, Fulcio.Root], Fulcio.NotBefore)],
        Ctlogs = [Log(Fulcio.Url + "/ct", Fulcio.CtLogPublicKey, Fulcio.CtLogId, Fulcio.CtLogNotBefore)],
        TimestampAuthorities =
            [Authority("coffer-test tsa", Tsa.Url, [Tsa.Signer, Tsa.Intermediate, Tsa.Root], Tsa.NotBefore)],
    };

    /// <summary>The <c>trusted_root.json</c> bytes, written with the library's serializer.</summary>
    public byte[] TrustedRootJson() => Encoding.UTF8.GetBytes(TrustedRootSerializer.Serialize(TrustedRoot()) + "\n");

    /// <summary>The <c>signing_config.v0.2.json</c> that points at this stack.</summary>
    public byte[] SigningConfigJson() => Write(writer =>
    {
        var start = Rekor.NotBefore;
        writer.WriteString("mediaType", SigningConfigMediaType);
        WriteServices(writer, "caUrls", Fulcio.Url, 1, start);
        WriteServices(writer, "oidcUrls", Issuer.Issuer, 1, start);
        WriteServices(writer, "rekorTlogUrls", Rekor.Url, 1, start);
        WriteServices(writer, "tsaUrls", Tsa.Url, 1, start);
        writer.WriteStartObject("rekorTlogConfig");
        writer.WriteString("selector", "ANY");
        writer.WriteEndObject();
        writer.WriteStartObject("tsaConfig");
        writer.WriteString("selector", "ANY");
        writer.WriteEndObject();
    });

    /// <summary>Stops every server and deletes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await Tsa.DisposeAsync();
        await Rekor.DisposeAsync();
        await Fulcio.DisposeAsync();
        await Issuer.DisposeAsync();
        TryDeleteDirectory(Directory);
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static void WriteValidFor(Utf8JsonWriter writer, DateTimeOffset start)
    {
        writer.WriteStartObject("validFor");
        writer.WriteString("start", Time(start));
        writer.WriteEndObject();
    }

    private static TransparencyLogInstance Log(string url, byte[] key, byte[] logId, DateTimeOffset start) => new()
    {
        BaseUrl = url,
        HashAlgorithm = "SHA2_256",
        PublicKey = new TrustedPublicKey
        {
            RawBytes = key,
            KeyDetails = "PKIX_ECDSA_P256_SHA_256",
            ValidFor = new ValidityPeriod { Start = start },
        },
        LogId = new LogId { KeyId = logId },
    };

    private static CertificateAuthority Authority(
        string name, string url, X509Certificate2[] chain, DateTimeOffset start) => new()
    {
        Subject = new DistinguishedName { Organization = "coffer-test", CommonName = name },
        Uri = url,
        CertChain = new CertificateChain
        {
            Certificates = [.. chain.Select(c => new RawCertificate { RawBytes = c.RawData })],
        },
        ValidFor = new ValidityPeriod { Start = start },
    };

    private static void WriteServices(Utf8JsonWriter writer, string name, string url, int version, DateTimeOffset start)
    {
        writer.WriteStartArray(name);
        writer.WriteStartObject();
        writer.WriteString("url", url);
        writer.WriteNumber("majorApiVersion", version);
        WriteValidFor(writer, start);
        writer.WriteString("operator", "coffer-test");
        writer.WriteEndObject();
        writer.WriteEndArray();
    }
}
