using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Coffer.Tests.Http;

/// <summary>A root, an intermediate and a server certificate signed by the intermediate.</summary>
internal sealed class TestChain : IDisposable
{
    private TestChain(X509Certificate2 root, X509Certificate2 intermediate, X509Certificate2 leaf)
    {
        Root = root;
        Intermediate = intermediate;
        Leaf = leaf;
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    /// <summary>The server certificate, with its private key.</summary>
    public X509Certificate2 Leaf { get; }

    /// <param name="dnsName">The one name the leaf is for; null for 127.0.0.1.</param>
    /// <param name="usage">The leaf's extended key usage (server authentication by default).</param>
    public static TestChain Create(string? dnsName = null, string usage = "1.3.6.1.5.5.7.3.1")
    {
        // Every chain has names of its own, as distinct CAs do.
        var now = DateTimeOffset.UtcNow;
        var tag = Guid.NewGuid().ToString("N")[..8];
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = Authority($"CN=Coffer Trust Test Root {tag}", rootKey);
        var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = Authority($"CN=Coffer Trust Test Intermediate {tag}", intermediateKey);
        using var intermediatePublic = intermediateRequest.Create(root, now.AddDays(-1), now.AddDays(20), Serial());
        var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=registry", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        var names = new SubjectAlternativeNameBuilder();
        if (dnsName is null)
        {
            names.AddIpAddress(IPAddress.Loopback);
        }
        else
        {
            names.AddDnsName(dnsName);
        }

        leafRequest.CertificateExtensions.Add(names.Build());
        using var leafPublic = leafRequest.Create(intermediate, now.AddDays(-1), now.AddDays(10), Serial());
        var leaf = leafPublic.CopyWithPrivateKey(leafKey);

        return new TestChain(
            X509CertificateLoader.LoadCertificate(root.RawData),
            X509CertificateLoader.LoadCertificate(intermediate.RawData),
            leaf);
    }

    public void Dispose()
    {
        Root.Dispose();
        Intermediate.Dispose();
        Leaf.Dispose();
    }

    private static CertificateRequest Authority(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
    }
}
