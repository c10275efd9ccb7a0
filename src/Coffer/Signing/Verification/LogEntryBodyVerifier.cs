using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coffer.Signing.Bundles;

namespace Coffer.Signing.Verification;

/// <summary>
/// Cross-checks a log entry's canonicalized body against the bundle (spec-notes §3.4): kinds
/// hashedrekord 0.0.1 and 0.0.2, dsse 0.0.1 and intoto 0.0.2.
/// </summary>
internal static class LogEntryBodyVerifier
{
    /// <summary>Throws a <see cref="VerificationException"/> when the body disagrees with the bundle.</summary>
    public static void Verify(TransparencyLogEntry entry, SignedContent content)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(entry.CanonicalizedBody);
        }
        catch (JsonException e)
        {
            throw Fail("the log entry body is not JSON", e);
        }

        // A lone surrogate, escaped ("\ud800") or encoded as UTF-8, passes the JSON reader, but reading
        // it as a string, or comparing a property name that holds one, throws InvalidOperationException.
        using (document)
        {
            try
            {
                Check(document.RootElement, entry, content);
            }
            catch (InvalidOperationException e)
            {
                throw Fail("the log entry body holds text that is not valid Unicode", e);
            }
        }
    }

    private static void Check(JsonElement root, TransparencyLogEntry entry, SignedContent content)
    {
        // §3.4: kind and apiVersion must equal kindVersion.
        var kind = Text(root, "kind");
        var version = Text(root, "apiVersion");
        if (kind != entry.KindVersion!.Kind || version != entry.KindVersion.Version)
        {
            throw Fail($"the body is {kind}/{version} but kindVersion says "
                + $"{entry.KindVersion.Kind}/{entry.KindVersion.Version}");
        }

        var spec = Child(root, "spec");
        switch ($"{kind}/{version}")
        {
            case "hashedrekord/0.0.1":
                HashedRekordV001(spec, content);
                break;
            case "hashedrekord/0.0.2":
                HashedRekordV002(Child(spec, "hashedRekordV002"), content);
                break;
            case "dsse/0.0.1":
                DsseV001(spec, content);
                break;
            case "intoto/0.0.2":
                InTotoV002(Child(spec, "content"), content);
                break;
            default:
                throw Fail($"log entries of kind {kind}/{version} are not supported");
        }
    }

    private static void HashedRekordV001(JsonElement spec, SignedContent content)
    {
        if (content.Envelope is not null)
        {
            throw Fail("a hashedrekord 0.0.1 entry cannot hold a DSSE envelope");
        }

        // data.hash must be the artifact digest.
        var hash = Child(Child(spec, "data"), "hash");
        var algorithm = Text(hash, "algorithm");
        var digest = content.Artifact.DigestOf(algorithm ?? "")
            ?? throw Fail($"the entry's {algorithm} digest cannot be compared with the artifact "
                + $"({content.Artifact.Description})");
        if (!string.Equals(Text(hash, "value"), Convert.ToHexStringLower(digest), StringComparison.Ordinal))
        {
            throw Fail("the entry's artifact digest is not the artifact's digest");
        }

        // signature.content must be the bundle signature; publicKey.content the PEM of the key material.
        var signature = Child(spec, "signature");
        RequireBytes(Base64(signature, "content"), content.Signature, "signature");
        RequireVerifier(Encoding.UTF8.GetString(Base64(Child(signature, "publicKey"), "content")), content);
    }

    private static void HashedRekordV002(JsonElement spec, SignedContent content)
    {
        // data.digest is the artifact's SHA-256, or SHA-256(PAE) for a DSSE envelope on Rekor v2.
        var data = Child(spec, "data");
        if (Text(data, "algorithm") != "SHA2_256")
        {
            throw Fail($"hashedrekord 0.0.2 digest algorithm {Text(data, "algorithm")} is not supported");
        }

        var expected = content.PaeSha256 ?? content.Artifact.DigestOf("sha256")
            ?? throw Fail("the artifact has no SHA-256 digest to compare with the entry");
        RequireBytes(Base64(data, "digest"), expected, content.Envelope is null ? "artifact digest" : "PAE digest");

        var signature = Child(spec, "signature");
        RequireBytes(Base64(signature, "content"), content.Signature, "signature");
        var verifier = Child(signature, "verifier");
        if (verifier.TryGetProperty("x509Certificate", out var certificate))
        {
            RequireBytes(Base64(certificate, "rawBytes"), content.LeafDer ?? [], "certificate");
        }
        else if (verifier.TryGetProperty("publicKey", out var key) && content.LeafDer is null)
        {
            RequireBytes(Base64(key, "rawBytes"), content.KeySpki, "public key");
        }
        else
        {
            throw Fail("the entry's verifier is not the bundle's key material");
        }
    }

    private static void DsseV001(JsonElement spec, SignedContent content)
    {
        var envelope = content.Envelope ?? throw Fail("a dsse entry needs a DSSE envelope in the bundle");

        // payloadHash must be SHA-256 of the payload; envelopeHash is not reproducible and is not used.
        var payloadHash = Child(spec, "payloadHash");
        if (Text(payloadHash, "algorithm") != "sha256"
            || Text(payloadHash, "value") != Convert.ToHexStringLower(SHA256.HashData(envelope.Payload!)))
        {
            throw Fail("the entry's payload hash is not the hash of the envelope payload");
        }

        var signatures = Child(spec, "signatures");
        if (signatures.ValueKind != JsonValueKind.Array || signatures.GetArrayLength() != 1)
        {
            throw Fail("the dsse entry must hold exactly one signature");
        }

        var only = signatures[0];
        RequireBytes(Base64(only, "signature"), content.Signature, "signature");
        RequireVerifier(Encoding.UTF8.GetString(Base64(only, "verifier")), content);
    }

    private static void InTotoV002(JsonElement body, SignedContent content)
    {
        var envelope = content.Envelope ?? throw Fail("an intoto entry needs a DSSE envelope in the bundle");
        var logged = Child(body, "envelope");

        // Quirk of intoto 0.0.2: payload and sig are base64 of the base64 text. Rekor may drop the
        // payload and keep only its hash, which is checked below either way.
        if (Text(logged, "payload") is not null)
        {
            var payload = Convert.FromBase64String(Encoding.ASCII.GetString(Base64(logged, "payload")));
            RequireBytes(payload, envelope.Payload!, "payload");
        }

        if (Text(logged, "payloadType") != envelope.PayloadType)
        {
            throw Fail("the entry's payload type is not the envelope's");
        }

        var payloadHash = Child(body, "payloadHash");
        if (Text(payloadHash, "algorithm") != "sha256"
            || Text(payloadHash, "value") != Convert.ToHexStringLower(SHA256.HashData(envelope.Payload!)))
        {
            throw Fail("the entry's payload hash is not the hash of the envelope payload");
        }

        var signatures = Child(logged, "signatures");
        if (signatures.ValueKind != JsonValueKind.Array || signatures.GetArrayLength() != 1)
        {
            throw Fail("the intoto entry must hold exactly one signature");
        }

        var only = signatures[0];
        var sig = Convert.FromBase64String(Encoding.ASCII.GetString(Base64(only, "sig")));
        RequireBytes(sig, content.Signature, "signature");
        RequireVerifier(Encoding.UTF8.GetString(Base64(only, "publicKey")), content);
    }

    private static void RequireVerifier(string pem, SignedContent content)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw Fail("the entry's public key is not PEM");
        }

        var label = pem[fields.Label];
        var der = Convert.FromBase64String(pem[fields.Base64Data]);
        if (label == "CERTIFICATE" && content.LeafDer is not null)
        {
            RequireBytes(der, content.LeafDer, "certificate");
        }
        else if (label == "PUBLIC KEY" && content.LeafDer is null)
        {
            RequireBytes(der, content.KeySpki, "public key");
        }
        else
        {
            throw Fail($"the entry's {label} is not the bundle's key material");
        }
    }

    private static void RequireBytes(ReadOnlySpan<byte> logged, ReadOnlySpan<byte> bundle, string what)
    {
        if (!logged.SequenceEqual(bundle))
        {
            throw Fail($"the entry's {what} is not the bundle's");
        }
    }

    private static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child)
            ? child
            : throw Fail($"the log entry body has no '{name}'");

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child)
            && child.ValueKind == JsonValueKind.String
            ? child.GetString()
            : null;

    private static byte[] Base64(JsonElement element, string name)
    {
        var text = Text(element, name) ?? throw Fail($"the log entry body has no '{name}'");
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw Fail($"the log entry body's '{name}' is not base64", e);
        }
    }

    private static VerificationException Fail(string reason, Exception? inner = null) =>
        new(VerificationStep.TransparencyLog, reason, inner);
}
