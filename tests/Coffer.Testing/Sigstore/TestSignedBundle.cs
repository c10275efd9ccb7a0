using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coffer.Signing.Bundles;

namespace Coffer.Testing.Sigstore;

/// <summary>A bundle made by <see cref="TestSigstoreAuthority"/> with what it was made from.</summary>
public sealed class TestSignedBundle : IDisposable
{
    internal TestSignedBundle(Bundle bundle, byte[] artifact, ECDsa signingKey, X509Certificate2? certificate)
    {
        Bundle = bundle;
        Artifact = artifact;
        SigningKey = signingKey;
        Certificate = certificate;
    }

    /// <summary>The bundle; tests may edit it to make it wrong.</summary>
    public Bundle Bundle { get; }

    /// <summary>The signed artifact.</summary>
    public byte[] Artifact { get; }

    /// <summary>The signing key.</summary>
    public ECDsa SigningKey { get; }

    /// <summary>The leaf certificate, for keyless bundles.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>The SPKI DER of the signing key.</summary>
    public byte[] PublicKeySpki => SigningKey.ExportSubjectPublicKeyInfo();

    /// <summary>The PEM public key (what <c>cosign.pub</c> holds).</summary>
    public string PublicKeyPem => SigningKey.ExportSubjectPublicKeyInfoPem();

    /// <summary><c>sha256:&lt;hex&gt;</c> of the artifact.</summary>
    public string ArtifactDigest => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Artifact));

    /// <summary>The bundle as JSON bytes.</summary>
    public byte[] ToJson() => BundleSerializer.SerializeToUtf8Bytes(Bundle);

    /// <inheritdoc />
    public void Dispose()
    {
        SigningKey.Dispose();
        Certificate?.Dispose();
    }
}
