using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Coffer.Testing;

/// <summary>
/// A throwaway ECDSA P-256 certificate authority with a server certificate for 127.0.0.1/localhost
/// and, optionally, a client certificate for mutual TLS. Every certificate and key is also written
/// as a PEM file.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(
        string directory,
        X509Certificate2 authority,
        X509Certificate2 server,
        X509Certificate2? client)
    {
        Directory = directory;
        Authority = authority;
        Server = server;
        Client = client;
    }

    /// <summary>The folder that holds the PEM files.</summary>
    public string Directory { get; }

    /// <summary>The self-signed CA certificate (with its private key).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The server certificate (with its private key), signed by <see cref="Authority"/>.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The client certificate (with its private key), when one was requested.</summary>
    public X509Certificate2? Client { get; }

    /// <summary>PEM file of the CA certificate (<c>ca.crt</c>).</summary>
    public string CaCertificatePath => Path.Combine(Directory, "ca.crt");

    /// <summary>PEM file of the CA private key (<c>ca.key</c>).</summary>
    public string CaKeyPath => Path.Combine(Directory, "ca.key");

    /// <summary>PEM file of the server certificate (<c>server.crt</c>).</summary>
    public string ServerCertificatePath => Path.Combine(Directory, "server.crt");

    /// <summary>PEM file of the server private key, PKCS#8 (<c>server.key</c>).</summary>
    public string ServerKeyPath => Path.Combine(Directory, "server.key");

    /// <summary>PEM file of the client certificate (<c>client.crt</c>), or null.</summary>
    public string? ClientCertificatePath => Client is null ? null : Path.Combine(Directory, "client.crt");

    /// <summary>PEM file of the client private key (<c>client.key</c>), or null.</summary>
    public string? ClientKeyPath => Client is null ? null : Path.Combine(Directory, "client.key");

    /// <summary>
    /// Creates the CA and its certificates and writes them as PEM files into <paramref name="directory"/>.
    /// </summary>
    /// <param name="directory">An existing or new folder; files with the same names are replaced.</param>
    /// <param name="includeClientCertificate">Also make a clientAuth certificate for mutual TLS.</param>
    public static TestCertificates Create(string directory, bool includeClientCertificate = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        System.IO.Directory.CreateDirectory(directory);

        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = notBefore.AddDays(7);
        var authority = CreateAuthority(notBefore, notAfter);

        var server = CreateLeaf(authority, "CN=coffer-test-server", serverAuth: true, notBefore, notAfter);
        var client = includeClientCertificate
            ? CreateLeaf(authority, "CN=coffer-test-client", serverAuth: false, notBefore, notAfter)
            : null;

        var certificates = new TestCertificates(directory, authority, server, client);
        certificates.WriteFiles();
        return certificates;
    }

    /// <summary>
    /// A chain policy that trusts only <see cref="Authority"/> and checks no revocation lists.
    /// </summary>
    public X509ChainPolicy CreateChainPolicy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(Authority);
        return policy;
    }

    /// <summary>
    /// A handler that trusts only <see cref="Authority"/> and, when asked, presents <see cref="Client"/>.
    /// </summary>
    public SocketsHttpHandler CreateHttpHandler(bool presentClientCertificate = false)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = CreateChainPolicy();

        if (presentClientCertificate)
        {
            var client = Client
                ?? throw new InvalidOperationException("These certificates were made without a client certificate.");
            handler.SslOptions.ClientCertificates = [client];
        }

        return handler;
    }

    /// <summary>Disposes the certificate objects; the PEM files stay on disk.</summary>
    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
        Client?.Dispose();
    }

    private static X509Certificate2 CreateAuthority(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Coffer Test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        return request.CreateSelfSigned(notBefore, notAfter);
    }

    private static X509Certificate2 CreateLeaf(
        X509Certificate2 authority,
        string subject,
        bool serverAuth,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));

        var usage = serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2";
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], critical: false));

        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var publicOnly = request.Create(authority, notBefore, notAfter, serial);
        return publicOnly.CopyWithPrivateKey(key);
    }

    private static string KeyPem(X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("The certificate has no ECDSA private key.");
        return key.ExportPkcs8PrivateKeyPem();
    }

    private void WriteFiles()
    {
        File.WriteAllText(CaCertificatePath, Authority.ExportCertificatePem() + "\n");
        File.WriteAllText(CaKeyPath, KeyPem(Authority) + "\n");
        File.WriteAllText(ServerCertificatePath, Server.ExportCertificatePem() + "\n");
        File.WriteAllText(ServerKeyPath, KeyPem(Server) + "\n");

        if (Client is not null)
        {
            File.WriteAllText(ClientCertificatePath!, Client.ExportCertificatePem() + "\n");
            File.WriteAllText(ClientKeyPath!, KeyPem(Client) + "\n");
        }
    }
}
