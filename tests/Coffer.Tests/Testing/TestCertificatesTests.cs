using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coffer.Testing;

namespace Coffer.Tests.Testing;

public sealed class TestCertificatesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("coffer-certs-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Create_WritesPemFilesThatChainToTheAuthority()
    {
        using var certificates = TestCertificates.Create(_directory, includeClientCertificate: true);

        using var server = X509Certificate2.CreateFromPemFile(
            certificates.ServerCertificatePath, certificates.ServerKeyPath);
        using var client = X509Certificate2.CreateFromPemFile(
            certificates.ClientCertificatePath!, certificates.ClientKeyPath!);
        Assert.True(server.HasPrivateKey);
        Assert.True(client.HasPrivateKey);
        Assert.True(File.Exists(certificates.CaCertificatePath));

        using var chain = new X509Chain { ChainPolicy = certificates.CreateChainPolicy() };
        Assert.True(chain.Build(server), string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void Create_ServerCertificateNamesLoopbackAndServerAuth()
    {
        using var certificates = TestCertificates.Create(_directory);

        var names = certificates.Server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
        Assert.Contains("localhost", names.EnumerateDnsNames());
        Assert.True(certificates.Server.MatchesHostname("127.0.0.1"));

        var usage = certificates.Server.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal("1.3.6.1.5.5.7.3.1", Assert.Single(usage.EnhancedKeyUsages.Cast<Oid>()).Value);
        Assert.Null(certificates.Client);
    }

    [Fact]
    public void Create_ClientCertificateHasClientAuth()
    {
        using var certificates = TestCertificates.Create(_directory, includeClientCertificate: true);

        var usage = certificates.Client!.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal("1.3.6.1.5.5.7.3.2", Assert.Single(usage.EnhancedKeyUsages.Cast<Oid>()).Value);
    }
}
