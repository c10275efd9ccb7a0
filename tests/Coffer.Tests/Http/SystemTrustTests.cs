using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Coffer.Testing;
using Coffer.Tests.Cli;
using Coffer.Tests.Credentials;

namespace Coffer.Tests.Http;

/// <summary>
/// The coffer process checks TLS certificates against the OS trust locations itself (OpenSSL's
/// <c>SSL_CERT_FILE</c> and <c>SSL_CERT_DIR</c>, or their defaults): it must trust exactly what
/// .NET would have trusted from them. Each case runs coffer as its own process, pointed at
/// trust locations the test made, against a TLS server that sends leaf and intermediate.
/// </summary>
public sealed class SystemTrustTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [UnixFact]
    public async Task Resolve_RootBehindAHashLinkInSslCertDir_IsTrusted()
    {
        using var chain = TestChain.Create();
        await using var server = new TlsTestServer(chain.Leaf, chain.Intermediate);
        var directory = CertificateDirectory(chain.Root, hashLink: true);

        var resolve = await ResolveAsync(server, ("SSL_CERT_DIR", directory), ("SSL_CERT_FILE", "/dev/null"));

        Assert.True(resolve.ExitCode == 0, resolve.ToString());
        Assert.Equal(TlsTestServer.Digest, resolve.Stdout.Trim());
    }

    [UnixFact]
    public async Task Resolve_RootInADirectoryWithoutHashLinks_IsTrusted()
    {
        using var chain = TestChain.Create();
        await using var server = new TlsTestServer(chain.Leaf, chain.Intermediate);
        var directory = CertificateDirectory(chain.Root, hashLink: false);

        var resolve = await ResolveAsync(server, ("SSL_CERT_DIR", directory), ("SSL_CERT_FILE", "/dev/null"));

        Assert.True(resolve.ExitCode == 0, resolve.ToString());
    }

    [UnixFact]
    public async Task Resolve_RootInTheSslCertFileBundle_IsTrusted()
    {
        using var chain = TestChain.Create();
        using var other = TestChain.Create();
        await using var server = new TlsTestServer(chain.Leaf, chain.Intermediate);
        var bundle = _temp.Combine("bundle.pem");
        File.WriteAllText(bundle, "# another root first\n" + other.Root.ExportCertificatePem() + "\n"
            + chain.Root.ExportCertificatePem() + "\n");

        var resolve = await ResolveAsync(server, ("SSL_CERT_FILE", bundle), ("SSL_CERT_DIR", _temp.Combine("none")));

        Assert.True(resolve.ExitCode == 0, resolve.ToString());
    }

    [UnixFact]
    public async Task Resolve_EmptySslCertFileAndRootInADirectoryWithoutHashLinks_IsTrusted()
    {
        using var chain = TestChain.Create();
        await using var server = new TlsTestServer(chain.Leaf, chain.Intermediate);
        var directory = CertificateDirectory(chain.Root, hashLink: false);

        var resolve = await ResolveAsync(server, ("SSL_CERT_DIR", directory), ("SSL_CERT_FILE", ""));

        Assert.True(resolve.ExitCode == 0, resolve.ToString());
    }

    [UnixFact]
    public async Task Resolve_RootTrustedNowhere_IsRefusedWithTheTlsHint()
    {
        using var chain = TestChain.Create();
        using var other = TestChain.Create();
        await using var server = new TlsTestServer(chain.Leaf, chain.Intermediate);
        var directory = CertificateDirectory(other.Root, hashLink: true);

        var resolve = await ResolveAsync(server, ("SSL_CERT_DIR", directory), ("SSL_CERT_FILE", "/dev/null"));

        Assert.Equal(1, resolve.ExitCode);
        Assert.Contains("SSL connection could not be established", resolve.Stderr, StringComparison.Ordinal);
        Assert.Contains("--ca-file", resolve.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(TlsTestServer.Digest, resolve.Stdout, StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task Resolve_CertificateForAnotherName_IsRefusedThoughItsRootIsTrusted()
    {
        using var chain = TestChain.Create(dnsName: "registry.example");
        await using var server = new TlsTestServer(chain.Leaf, chain.Intermediate);
        var directory = CertificateDirectory(chain.Root, hashLink: true);

        var resolve = await ResolveAsync(server, ("SSL_CERT_DIR", directory), ("SSL_CERT_FILE", "/dev/null"));

        Assert.Equal(1, resolve.ExitCode);
        Assert.DoesNotContain(TlsTestServer.Digest, resolve.Stdout, StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task Resolve_CertificateOnlyForClientAuthentication_IsRefusedThoughItsRootIsTrusted()
    {
        using var chain = TestChain.Create(usage: "1.3.6.1.5.5.7.3.2");
        await using var server = new TlsTestServer(chain.Leaf, chain.Intermediate);
        var directory = CertificateDirectory(chain.Root, hashLink: true);

        var resolve = await ResolveAsync(server, ("SSL_CERT_DIR", directory), ("SSL_CERT_FILE", "/dev/null"));

        Assert.Equal(1, resolve.ExitCode);
        Assert.DoesNotContain(TlsTestServer.Digest, resolve.Stdout, StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task Resolve_ServerThatOmitsItsIntermediate_IsRefusedAsDotNetWouldRefuseIt()
    {
        using var chain = TestChain.Create();
        await using var server = new TlsTestServer(chain.Leaf);
        var directory = CertificateDirectory(chain.Root, hashLink: true);

        var resolve = await ResolveAsync(server, ("SSL_CERT_DIR", directory), ("SSL_CERT_FILE", "/dev/null"));

        Assert.Equal(1, resolve.ExitCode);
    }

    [UnixFact]
    public async Task Resolve_RootAsADerFileBehindAHashLink_IsRefusedAsDotNetReadsOnlyPem()
    {
        using var chain = TestChain.Create();
        await using var server = new TlsTestServer(chain.Leaf, chain.Intermediate);
        var directory = CertificateDirectory(chain.Root, hashLink: true);
        File.WriteAllBytes(Path.Combine(directory, "test-root.pem"), chain.Root.RawData);

        var resolve = await ResolveAsync(server, ("SSL_CERT_DIR", directory), ("SSL_CERT_FILE", "/dev/null"));

        Assert.Equal(1, resolve.ExitCode);
        Assert.Contains("SSL connection could not be established", resolve.Stderr, StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task Resolve_RootAsATrustedCertificateBlock_IsRefusedAsDotNetSkipsThoseBlocks()
    {
        using var chain = TestChain.Create();
        await using var server = new TlsTestServer(chain.Leaf, chain.Intermediate);
        var directory = CertificateDirectory(chain.Root, hashLink: true);
        var file = Path.Combine(directory, "test-root.pem");
        File.WriteAllText(file, OpenSsl("x509", "-in", file, "-addtrust", "serverAuth", "-trustout"));

        var resolve = await ResolveAsync(server, ("SSL_CERT_DIR", directory), ("SSL_CERT_FILE", "/dev/null"));

        Assert.Equal(1, resolve.ExitCode);
        Assert.Contains("SSL connection could not be established", resolve.Stderr, StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task Resolve_RootAfterABrokenBlockOfTheBundle_IsRefusedAsDotNetStopsReadingThere()
    {
        using var chain = TestChain.Create();
        await using var server = new TlsTestServer(chain.Leaf, chain.Intermediate);
        var bundle = _temp.Combine("bundle.pem");
        File.WriteAllText(bundle, "-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n"
            + chain.Root.ExportCertificatePem() + "\n");

        var resolve = await ResolveAsync(server, ("SSL_CERT_FILE", bundle), ("SSL_CERT_DIR", _temp.Combine("none")));

        Assert.Equal(1, resolve.ExitCode);
        Assert.Contains("SSL connection could not be established", resolve.Stderr, StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task Resolve_RootIndentedInTheBundle_IsRefusedAsOpenSslFindsNoBlockThere()
    {
        using var chain = TestChain.Create();
        await using var server = new TlsTestServer(chain.Leaf, chain.Intermediate);
        var bundle = _temp.Combine("bundle.pem");
        File.WriteAllLines(bundle, chain.Root.ExportCertificatePem().Split('\n').Select(line => "  " + line));

        var resolve = await ResolveAsync(server, ("SSL_CERT_FILE", bundle), ("SSL_CERT_DIR", _temp.Combine("none")));

        Assert.Equal(1, resolve.ExitCode);
        Assert.Contains("SSL connection could not be established", resolve.Stderr, StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task Resolve_RootUnderTheOldX509CertificateLabel_IsTrustedAsDotNetTrustsIt()
    {
        using var chain = TestChain.Create();
        await using var server = new TlsTestServer(chain.Leaf, chain.Intermediate);
        var bundle = _temp.Combine("bundle.pem");
        File.WriteAllText(bundle, chain.Root.ExportCertificatePem().Replace(
            "CERTIFICATE-----", "X509 CERTIFICATE-----", StringComparison.Ordinal) + "\n");

        var resolve = await ResolveAsync(server, ("SSL_CERT_FILE", bundle), ("SSL_CERT_DIR", _temp.Combine("none")));

        Assert.True(resolve.ExitCode == 0, resolve.ToString());
    }

    [UnixFact]
    public async Task Resolve_RootAtTheEndOfABundleOverSixteenMegabytes_IsTrusted()
    {
        using var chain = TestChain.Create();
        await using var server = new TlsTestServer(chain.Leaf, chain.Intermediate);
        var bundle = _temp.Combine("bundle.pem");
        using (var writer = File.CreateText(bundle))
        {
            var comment = "# " + new string('x', 1022);
            for (var i = 0; i < 17 * 1024; i++)
            {
                writer.WriteLine(comment);
            }

            writer.WriteLine(chain.Root.ExportCertificatePem());
        }

        var resolve = await ResolveAsync(server, ("SSL_CERT_FILE", bundle), ("SSL_CERT_DIR", _temp.Combine("none")));

        Assert.True(resolve.ExitCode == 0, resolve.ToString());
    }

    [UnixFact]
    public async Task CredentialHelper_StartedByCoffer_SeesTheTrustVariablesAsTheUserSetThem()
    {
        await using var registry = await RegistryServer.StartAsync(RegistryMode.Basic);
        using var runner = new CofferRunner();
        var bin = Directory.CreateDirectory(Path.Combine(runner.Root, "bin")).FullName;
        FakeHelper.Write(bin, "trustenv", $$"""
            printf '{"Username":"{{registry.Username}}","Secret":"{{registry.Password}}"}'
            """);
        File.WriteAllText(runner.ConfigFile, """{"credsStore":"trustenv"}""");
        runner.Environment["PATH"] = bin + ":" + runner.Environment["PATH"];
        runner.Environment["SSL_CERT_FILE"] = "/etc/coffer-test/bundle.pem";
        runner.WriteFile("a.txt", "x"u8.ToArray());

        var push = await runner.RunProcessAsync("", "push", "--plain-http", $"{registry.Host}/trust/env:v1", "a.txt");

        Assert.True(push.ExitCode == 0, push.ToString());
        var environment = File.ReadAllLines(Path.Combine(bin, "env.log"));
        Assert.Contains("SSL_CERT_FILE=/etc/coffer-test/bundle.pem", environment);
        Assert.DoesNotContain(environment, line => line.StartsWith("SSL_CERT_DIR=", StringComparison.Ordinal));
    }

    private static async Task<CliResult> ResolveAsync(TlsTestServer server, params (string Name, string Value)[] trust)
    {
        using var runner = new CofferRunner();
        foreach (var (name, value) in trust)
        {
            runner.Environment[name] = value;
        }

        return await runner.RunProcessAsync("", "resolve", $"{server.Host}/trust/repo:v1");
    }

    // A trust directory holding the root as a .pem file and, like c_rehash makes, a link named by
    // OpenSSL's subject hash (from the openssl tool, so the name is OpenSSL's, not Coffer's).
    private string CertificateDirectory(X509Certificate2 root, bool hashLink)
    {
        var directory = Directory.CreateDirectory(_temp.Combine($"certs-{Guid.NewGuid():N}")).FullName;
        var file = Path.Combine(directory, "test-root.pem");
        File.WriteAllText(file, root.ExportCertificatePem() + "\n");
        if (hashLink)
        {
            File.CreateSymbolicLink(Path.Combine(directory, SubjectHash(file) + ".0"), "test-root.pem");
        }

        return directory;
    }

    private static string SubjectHash(string certificateFile)
    {
        var hash = OpenSsl("x509", "-hash", "-noout", "-in", certificateFile).Trim();
        Assert.True(hash.Length == 8, $"openssl x509 -hash gave '{hash}'");
        return hash;
    }

    private static string OpenSsl(params string[] args)
    {
        var start = new ProcessStartInfo(ToolCheck.Require("openssl"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"openssl {string.Join(' ', args)}: {error}");
        return output;
    }
}
