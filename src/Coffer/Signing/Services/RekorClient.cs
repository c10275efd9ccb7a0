using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coffer.Diagnostics;
using Coffer.Signing.Bundles;

namespace Coffer.Signing.Services;

/// <summary>
/// Writes hashedrekord 0.0.1 and dsse 0.0.1 entries to a Rekor v1 log and turns the answer into a
/// bundle <see cref="TransparencyLogEntry"/>.
/// <list type="number">
/// <item>Step 1: <c>POST {rekor}/api/v1/log/entries</c> with
/// <c>{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"data":{"hash":{"algorithm":"sha256","value":HEX}},
/// "signature":{"content":B64,"publicKey":{"content":B64(PEM)}}}}</c>, or for DSSE
/// <c>{"apiVersion":"0.0.1","kind":"dsse","spec":{"proposedContent":{"envelope":JSON,
/// "verifiers":[B64(PEM)]}}}</c>.</item>
/// <item>Step 2: on 201 read <c>{UUID:{body, integratedTime, logID, logIndex, verification}}</c>; on 409
/// (already logged) fetch the entry from the <c>Location</c> the log gives.</item>
/// <item>Step 3: check the logged body is our entry, then convert hex to bytes for the bundle
/// (SET, inclusion proof with checkpoint, canonicalized body).</item>
/// </list>
/// The SET and proof are verified against the trusted root later, by the verifier.
/// </summary>
public sealed class RekorClient
{
    private const string Service = "Rekor";
    private const int MaxProofHashes = 64;

    private readonly Uri _baseUrl;
    private readonly SigstoreHttp _http;

    /// <summary>Creates a client.</summary>
    /// <param name="baseUrl">The Rekor URL, such as <c>https://rekor.sigstore.dev</c>.</param>
    /// <param name="http">The HTTP client.</param>
    /// <param name="log">Debug log (method, URL and status only); null for none.</param>
    public RekorClient(Uri baseUrl, HttpClient http, DebugLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(http);
        _baseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _http = new SigstoreHttp(http, log);
    }

    /// <summary>Logs a signature over a SHA-256 digest.</summary>
    /// <param name="sha256">The 32-byte digest that was signed.</param>
    /// <param name="signature">The signature (DER for ECDSA).</param>
    /// <param name="verifierPem">The PEM certificate or PEM public key that verifies it.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <exception cref="SigstoreServiceException">The log refused the entry or answered something unusable.</exception>
    public async Task<TransparencyLogEntry> UploadHashedRekordAsync(
        ReadOnlyMemory<byte> sha256,
        ReadOnlyMemory<byte> signature,
        string verifierPem,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verifierPem);
        if (sha256.Length != 32)
        {
            throw new ArgumentException("a SHA-256 digest has 32 bytes", nameof(sha256));
        }

        var digestHex = Convert.ToHexStringLower(sha256.Span);
        var signatureBase64 = Convert.ToBase64String(signature.Span);
        var verifierBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(verifierPem));
        var entry = await UploadAsync(HashedRekord(digestHex, signatureBase64, verifierBase64), cancellationToken)
            .ConfigureAwait(false);
        CheckHashedRekordBody(entry.CanonicalizedBody!, digestHex, signatureBase64, verifierBase64);
        return entry;
    }

    /// <summary>Logs a DSSE envelope with exactly one signature (kind dsse 0.0.1).</summary>
    /// <param name="envelope">The signed envelope.</param>
    /// <param name="verifierPem">The PEM certificate or PEM public key that verifies the signature.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <exception cref="SigstoreServiceException">The log refused the entry or answered something unusable.</exception>
    public async Task<TransparencyLogEntry> UploadDsseAsync(
        DsseEnvelope envelope,
        string verifierPem,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(verifierPem);
        if (envelope.Payload is null || envelope.PayloadType is null
            || envelope.Signatures is not [{ Sig: { } signature }])
        {
            throw new ArgumentException("the envelope needs a payload, a type and one signature", nameof(envelope));
        }

        var verifierBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(verifierPem));
        var entry = await UploadAsync(Dsse(envelope, verifierBase64), cancellationToken).ConfigureAwait(false);
        CheckDsseBody(entry.CanonicalizedBody!, envelope.Payload, Convert.ToBase64String(signature), verifierBase64);
        return entry;
    }

    /// <summary>Converts a Rekor v1 <c>{UUID: LogEntry}</c> answer into a bundle entry.</summary>
    /// <exception cref="SigstoreServiceException">The answer lacks a field a bundle needs.</exception>
    public static TransparencyLogEntry ToTransparencyLogEntry(ReadOnlySpan<byte> answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer.ToArray());
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Unusable("the answer is not a JSON object");
            }

            using var members = root.EnumerateObject();
            if (!members.MoveNext())
            {
                throw Unusable("the answer holds no entry");
            }

            var entry = members.Current.Value;
            var body = Convert.FromBase64String(String(entry, "body"));
            var verification = Get(entry, "verification");
            var proof = Get(verification, "inclusionProof");
            var hashes = Get(proof, "hashes");
            if (hashes.ValueKind != JsonValueKind.Array || hashes.GetArrayLength() > MaxProofHashes)
            {
                throw Unusable("inclusionProof.hashes is not a list of hashes");
            }

            return new TransparencyLogEntry
            {
                LogIndex = Get(entry, "logIndex").GetInt64(),
                LogId = new LogId { KeyId = Convert.FromHexString(String(entry, "logID")) },
                KindVersion = KindVersionOf(body),
                IntegratedTime = Get(entry, "integratedTime").GetInt64(),
                InclusionPromise = new InclusionPromise
                {
                    SignedEntryTimestamp = Convert.FromBase64String(String(verification, "signedEntryTimestamp")),
                },
                InclusionProof = new InclusionProof
                {
                    LogIndex = Get(proof, "logIndex").GetInt64(),
                    RootHash = Convert.FromHexString(String(proof, "rootHash")),
                    TreeSize = Get(proof, "treeSize").GetInt64(),
                    Hashes = [.. hashes.EnumerateArray().Select(h => Convert.FromHexString(h.GetString() ?? ""))],
                    Checkpoint = new Checkpoint { Envelope = String(proof, "checkpoint") },
                },
                CanonicalizedBody = body,
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw Unusable($"a field is malformed ({e.GetType().Name})");
        }
    }

    private static byte[] HashedRekord(string digestHex, string signatureBase64, string verifierBase64)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", "0.0.1");
            writer.WriteString("kind", "hashedrekord");
            writer.WriteStartObject("spec");
            writer.WriteStartObject("data");
            writer.WriteStartObject("hash");
            writer.WriteString("algorithm", "sha256");
            writer.WriteString("value", digestHex);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteStartObject("signature");
            writer.WriteString("content", signatureBase64);
            writer.WriteStartObject("publicKey");
            writer.WriteString("content", verifierBase64);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static byte[] Dsse(DsseEnvelope envelope, string verifierBase64)
    {
        // The envelope travels as a JSON string inside the proposed entry.
        using var envelopeStream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(envelopeStream))
        {
            writer.WriteStartObject();
            writer.WriteBase64String("payload", envelope.Payload);
            writer.WriteString("payloadType", envelope.PayloadType);
            writer.WriteStartArray("signatures");
            writer.WriteStartObject();
            writer.WriteString("keyid", envelope.Signatures![0].KeyId ?? "");
            writer.WriteBase64String("sig", envelope.Signatures[0].Sig);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", "0.0.1");
            writer.WriteString("kind", "dsse");
            writer.WriteStartObject("spec");
            writer.WriteStartObject("proposedContent");
            writer.WriteString("envelope", Encoding.UTF8.GetString(envelopeStream.ToArray()));
            writer.WriteStartArray("verifiers");
            writer.WriteStringValue(verifierBase64);
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static KindVersion KindVersionOf(byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return new KindVersion { Kind = String(root, "kind"), Version = String(root, "apiVersion") };
    }

    /// <summary>The log must have recorded our payload hash, signature and verifier, not something else.</summary>
    private static void CheckDsseBody(byte[] body, byte[] payload, string signatureBase64, string verifierBase64)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var spec = Get(json.RootElement, "spec");
            var payloadHash = Get(spec, "payloadHash");
            var signatures = Get(spec, "signatures");
            if (String(json.RootElement, "kind") == "dsse"
                && String(payloadHash, "algorithm") == "sha256"
                && string.Equals(String(payloadHash, "value"), Convert.ToHexStringLower(SHA256.HashData(payload)),
                    StringComparison.OrdinalIgnoreCase)
                && signatures.ValueKind == JsonValueKind.Array && signatures.GetArrayLength() == 1
                && String(signatures[0], "signature") == signatureBase64
                && String(signatures[0], "verifier") == verifierBase64)
            {
                return;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Unusable("the logged body is not a dsse entry");
        }

        throw Unusable("the logged body does not match the entry that was uploaded");
    }

    /// <summary>The log must have recorded our digest, signature and verifier, not something else.</summary>
    private static void CheckHashedRekordBody(
        byte[] body, string digestHex, string signatureBase64, string verifierBase64)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var spec = Get(json.RootElement, "spec");
            var signature = Get(spec, "signature");
            var hash = Get(Get(spec, "data"), "hash");
            if (String(json.RootElement, "kind") == "hashedrekord"
                && String(hash, "algorithm") == "sha256"
                && string.Equals(String(hash, "value"), digestHex, StringComparison.OrdinalIgnoreCase)
                && String(signature, "content") == signatureBase64
                && String(Get(signature, "publicKey"), "content") == verifierBase64)
            {
                return;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Unusable("the logged body is not a hashedrekord entry");
        }

        throw Unusable("the logged body does not match the entry that was uploaded");
    }

    private static JsonElement Get(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw Unusable($"the field {name} is missing");

    private static string String(JsonElement element, string name) =>
        Get(element, name) is { ValueKind: JsonValueKind.String } value
            ? value.GetString()!
            : throw Unusable($"the field {name} is not a string");

    private static SigstoreServiceException Unusable(string reason) =>
        new(Service, null, $"Rekor's answer is unusable: {reason}", null);

    private async Task<TransparencyLogEntry> UploadAsync(byte[] body, CancellationToken cancellationToken)
    {
        // Step 1: propose the entry.
        var url = new Uri(_baseUrl, "api/v1/log/entries");
        using var response = await _http.SendAsync(Service, () => new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
        }, cancellationToken).ConfigureAwait(false);

        // Step 2: the entry as logged, or the one that was logged before.
        byte[] answer;
        if (response.StatusCode == HttpStatusCode.Conflict && response.Headers.Location is { } location)
        {
            answer = await FetchExistingAsync(new Uri(url, location), cancellationToken).ConfigureAwait(false);
        }
        else if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
        {
            answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw await _http.FailureAsync(Service, response, "upload", null, cancellationToken).ConfigureAwait(false);
        }

        // Step 3: convert; the caller checks the body.
        return ToTransparencyLogEntry(answer);
    }

    private async Task<byte[]> FetchExistingAsync(Uri location, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(
            Service, () => new HttpRequestMessage(HttpMethod.Get, location), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await _http.FailureAsync(Service, response, "lookup of the existing entry", null, cancellationToken)
                .ConfigureAwait(false);
        }

        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }
}
