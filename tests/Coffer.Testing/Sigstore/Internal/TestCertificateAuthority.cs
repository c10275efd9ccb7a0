using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Coffer.Testing.Sigstore.Internal;

/// <summary>A two-level ECDSA P-256 CA, root → intermediate, that issues leaves from the intermediate.</summary>
internal sealed class TestCertificateAuthority : IDisposable
{
    private TestCertificateAuthority(X509Certificate2 root, X509Certificate2 intermediate)
    {
        Root = root;
        Intermediate = intermediate;
    }

    /// <summary>The self-signed root, with its private key.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The issuing intermediate, with its private key.</summary>
    public X509Certificate2 Intermediate { get; }

    /// <summary>When the root became valid; the start of the trusted-root window.</summary>
    public DateTimeOffset NotBefore => Root.NotBefore.ToUniversalTime();

    public static TestCertificateAuthority Create(string name)
    {
        var notBefore = TruncateToSeconds(DateTimeOffset.UtcNow.AddHours(-1));
        var notAfter = notBefore.AddDays(30);

        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = CaRequest($"O=coffer-test, CN={name} root", rootKey, pathLength: 1);
        var root = rootRequest.CreateSelfSigned(notBefore, notAfter);

        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = CaRequest($"O=coffer-test, CN={name} intermediate", intermediateKey, pathLength: 0);
        intermediateRequest.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var intermediatePublic = intermediateRequest.Create(
            root, notBefore, notAfter.AddDays(-1), RandomSerial());
        var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        return new TestCertificateAuthority(root, intermediate);
    }

    public static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }

    public static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());

    public void Dispose()
    {
        Intermediate.Dispose();
        Root.Dispose();
    }

    private static CertificateRequest CaRequest(string subject, ECDsa key, int pathLength)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, pathLength, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }
}
