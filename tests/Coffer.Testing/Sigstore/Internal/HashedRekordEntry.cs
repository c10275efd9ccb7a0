using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Coffer.Testing.Sigstore.Internal;

/// <summary>
/// A validated hashedrekord 0.0.1 proposed entry and its canonical body (keys sorted, no spaces),
/// which is what the log stores and hashes.
/// </summary>
internal sealed record HashedRekordEntry(byte[] Digest, byte[] Signature, byte[] VerifierPem) : IProposedEntry
{
    public static HashedRekordEntry Parse(JsonElement entry)
    {
        if (JwtVerifier.String(entry, "kind") != "hashedrekord" || JwtVerifier.String(entry, "apiVersion") != "0.0.1")
        {
            throw new InvalidDataException("only kind hashedrekord, apiVersion 0.0.1 is supported");
        }

        var spec = entry.GetProperty("spec");
        var hash = spec.GetProperty("data").GetProperty("hash");
        if (JwtVerifier.String(hash, "algorithm") != "sha256")
        {
            throw new InvalidDataException("spec.data.hash.algorithm must be sha256");
        }

        var digest = Convert.FromHexString(JwtVerifier.String(hash, "value") ?? "");
        if (digest.Length != 32)
        {
            throw new InvalidDataException("spec.data.hash.value must be 64 hex digits");
        }

        var signature = spec.GetProperty("signature");
        var content = Convert.FromBase64String(JwtVerifier.String(signature, "content") ?? "");
        var verifier = Convert.FromBase64String(
            JwtVerifier.String(signature.GetProperty("publicKey"), "content") ?? "");
        var parsed = new HashedRekordEntry(digest, content, verifier);
        parsed.Verify();
        return parsed;
    }

    public byte[] CanonicalBody() => Json.Object(writer =>
    {
        writer.WriteString("apiVersion", "0.0.1");
        writer.WriteString("kind", "hashedrekord");
        writer.WriteStartObject("spec");
        writer.WriteStartObject("data");
        writer.WriteStartObject("hash");
        writer.WriteString("algorithm", "sha256");
        writer.WriteString("value", Convert.ToHexStringLower(Digest));
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartObject("signature");
        writer.WriteString("content", Convert.ToBase64String(Signature));
        writer.WriteStartObject("publicKey");
        writer.WriteString("content", Convert.ToBase64String(VerifierPem));
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>The public key of a PEM certificate or PEM public key.</summary>
    internal static PublicKey VerifierKey(byte[] verifierPem)
    {
        var pem = Encoding.ASCII.GetString(verifierPem);
        var fields = PemEncoding.Find(pem);
        var label = pem[fields.Label];
        var der = Convert.FromBase64String(pem[fields.Base64Data]);
        PublicKey key;
        if (label == "CERTIFICATE")
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            key = certificate.PublicKey;
        }
        else if (label == "PUBLIC KEY")
        {
            key = PublicKey.CreateFromSubjectPublicKeyInfo(der, out _);
        }
        else
        {
            throw new InvalidDataException($"the verifier is a PEM {label}, not a certificate or public key");
        }

        return key;
    }

    private void Verify()
    {
        var key = VerifierKey(VerifierPem);
        using var ecdsa = key.GetECDsaPublicKey();
        using var rsa = ecdsa is null ? key.GetRSAPublicKey() : null;
        var valid = ecdsa?.VerifyHash(Digest, Signature, DSASignatureFormat.Rfc3279DerSequence)
            ?? rsa?.VerifyHash(Digest, Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            ?? throw new InvalidDataException("the verifier key type is not supported");
        if (!valid)
        {
            throw new InvalidDataException("the signature does not verify over the hash with the given key");
        }
    }
}
