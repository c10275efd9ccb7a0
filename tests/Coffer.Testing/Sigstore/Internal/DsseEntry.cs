using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Coffer.Testing.Sigstore.Internal;

/// <summary>
/// A validated dsse 0.0.1 proposed entry: <c>spec.proposedContent {envelope: JSON string,
/// verifiers: [b64 PEM]}</c>. Every envelope signature must verify over PAE with one verifier.
/// </summary>
internal sealed class DsseEntry : IProposedEntry
{
    private readonly byte[] _envelopeHash;
    private readonly byte[] _payloadHash;
    private readonly List<(byte[] Signature, byte[] VerifierPem)> _signatures;

    private DsseEntry(byte[] envelopeHash, byte[] payloadHash, List<(byte[], byte[])> signatures)
    {
        _envelopeHash = envelopeHash;
        _payloadHash = payloadHash;
        _signatures = signatures;
    }

    public static DsseEntry Parse(JsonElement entry)
    {
        if (JwtVerifier.String(entry, "apiVersion") != "0.0.1")
        {
            throw new InvalidDataException("only dsse apiVersion 0.0.1 is supported");
        }

        var content = entry.GetProperty("spec").GetProperty("proposedContent");
        var envelopeText = JwtVerifier.String(content, "envelope")
            ?? throw new InvalidDataException("spec.proposedContent.envelope must be a JSON string");
        var verifiers = content.GetProperty("verifiers").EnumerateArray()
            .Select(v => Convert.FromBase64String(v.GetString() ?? "")).ToList();
        if (verifiers.Count == 0)
        {
            throw new InvalidDataException("spec.proposedContent.verifiers is empty");
        }

        using var envelope = JsonDocument.Parse(envelopeText);
        var payload = Convert.FromBase64String(JwtVerifier.String(envelope.RootElement, "payload") ?? "");
        var payloadType = JwtVerifier.String(envelope.RootElement, "payloadType")
            ?? throw new InvalidDataException("the envelope has no payloadType");
        var pae = Pae(payloadType, payload);

        var signatures = new List<(byte[], byte[])>();
        foreach (var item in envelope.RootElement.GetProperty("signatures").EnumerateArray())
        {
            var signature = Convert.FromBase64String(JwtVerifier.String(item, "sig") ?? "");
            var verifier = verifiers.Find(v => Verifies(v, pae, signature))
                ?? throw new InvalidDataException("an envelope signature verifies with none of the verifiers");
            signatures.Add((signature, verifier));
        }

        if (signatures.Count == 0)
        {
            throw new InvalidDataException("the envelope has no signatures");
        }

        return new DsseEntry(
            SHA256.HashData(Encoding.UTF8.GetBytes(envelopeText)), SHA256.HashData(payload), signatures);
    }

    public byte[] CanonicalBody() => Json.Object(writer =>
    {
        writer.WriteString("apiVersion", "0.0.1");
        writer.WriteString("kind", "dsse");
        writer.WriteStartObject("spec");
        writer.WriteStartObject("envelopeHash");
        writer.WriteString("algorithm", "sha256");
        writer.WriteString("value", Convert.ToHexStringLower(_envelopeHash));
        writer.WriteEndObject();
        writer.WriteStartObject("payloadHash");
        writer.WriteString("algorithm", "sha256");
        writer.WriteString("value", Convert.ToHexStringLower(_payloadHash));
        writer.WriteEndObject();
        writer.WriteStartArray("signatures");
        foreach (var (signature, verifier) in _signatures)
        {
            writer.WriteStartObject();
            writer.WriteString("signature", Convert.ToBase64String(signature));
            writer.WriteString("verifier", Convert.ToBase64String(verifier));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static byte[] Pae(string payloadType, byte[] payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"DSSEv1 {type.Length} "));
        var middle = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" {payload.Length} "));
        return [.. header, .. type, .. middle, .. payload];
    }

    private static bool Verifies(byte[] verifierPem, byte[] pae, byte[] signature)
    {
        var key = HashedRekordEntry.VerifierKey(verifierPem);
        using var ecdsa = key.GetECDsaPublicKey();
        if (ecdsa is not null)
        {
            return ecdsa.VerifyData(pae, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }

        using var rsa = key.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyData(pae, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
