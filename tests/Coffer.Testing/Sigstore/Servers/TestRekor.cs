using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Coffer.Testing.Sigstore.Internal;
using Microsoft.AspNetCore.Http;

namespace Coffer.Testing.Sigstore.Servers;

/// <summary>
/// A Rekor v1 transparency log on 127.0.0.1 backed by an in-memory RFC 6962 Merkle tree.
/// <list type="number">
/// <item>Step 1: <c>POST /api/v1/log/entries</c> with a hashedrekord 0.0.1 proposed entry (the
/// signature must verify over the hash with the given certificate or public key) or a dsse 0.0.1
/// one (every envelope signature must verify over PAE with one of the verifiers).</item>
/// <item>Step 2: the canonical body is appended to the tree; the answer (201) is
/// <c>{UUID:{body, integratedTime, logID, logIndex, verification}}</c> with a signed entry
/// timestamp over <c>{body, integratedTime, logID, logIndex}</c> (RFC 8785 form) and an inclusion
/// proof whose checkpoint is a C2SP signed note.</item>
/// </list>
/// <c>GET /api/v1/log/entries/UUID</c>, <c>GET /api/v1/log</c> and <c>GET /api/v1/log/publicKey</c>
/// are served too; a repeated entry answers 409 with its location.
/// </summary>
public sealed class TestRekor : IAsyncDisposable
{
    private readonly ServerHost _host;
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly MerkleTree _tree = new();
    private readonly List<StoredEntry> _entries = [];
    private readonly Lock _gate = new();

    private TestRekor(ServerHost host)
    {
        _host = host;
        PublicKey = _key.ExportSubjectPublicKeyInfo();
        LogId = SHA256.HashData(PublicKey);
        TreeId = 1_000_000_000L + RandomNumberGenerator.GetInt32(int.MaxValue);
        NotBefore = TestCertificateAuthority.TruncateToSeconds(DateTimeOffset.UtcNow.AddHours(-1));
    }

    /// <summary>The server URL, <c>http://127.0.0.1:PORT</c> (the signing config and <c>baseUrl</c> value).</summary>
    public string Url => _host.Url;

    /// <summary>The log key, SPKI DER (ECDSA P-256).</summary>
    public byte[] PublicKey { get; }

    /// <summary>The log id, SHA-256 of <see cref="PublicKey"/>.</summary>
    public byte[] LogId { get; }

    /// <summary>The tree id written in the checkpoint origin.</summary>
    public long TreeId { get; }

    /// <summary>The checkpoint key name: host and port of <see cref="Url"/> (like <c>rekor.sigstore.dev</c>).</summary>
    public string CheckpointName => new Uri(Url).Authority;

    /// <summary>The checkpoint origin line, <c>NAME - TREEID</c>.</summary>
    public string CheckpointOrigin => $"{CheckpointName} - {TreeId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>When the log key became valid, the trusted-root <c>validFor.start</c>.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>
    /// Added to the tree index to give the global <c>logIndex</c>, imitating a sharded log whose
    /// proof index differs from the entry index. Zero by default.
    /// </summary>
    public long LogIndexOffset { get; set; }

    /// <summary>How many entries the log holds.</summary>
    public int Size
    {
        get
        {
            lock (_gate)
            {
                return _tree.Size;
            }
        }
    }

    /// <summary>The canonical bodies in log order.</summary>
    public IReadOnlyList<byte[]> Bodies
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries.Select(e => e.Body)];
            }
        }
    }

    /// <summary>Every request received, oldest first.</summary>
    public IReadOnlyList<ServerRequest> Requests => _host.Requests;

    /// <summary>Starts the log on a free 127.0.0.1 port.</summary>
    public static async Task<TestRekor> StartAsync(CancellationToken cancellationToken = default)
    {
        TestRekor? rekor = null;
        var host = await ServerHost.StartAsync(context => rekor!.HandleAsync(context), cancellationToken);
        rekor = new TestRekor(host);
        return rekor;
    }

    /// <summary>Makes the next <paramref name="count"/> requests fail with <paramref name="status"/>.</summary>
    public void FailNext(int count, int status) => _host.Faults.FailNext(count, status);

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _key.Dispose();
    }

    private static string Uuid(byte[] leafHash) => Convert.ToHexStringLower(leafHash);

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        const string entriesPath = "/api/v1/log/entries";
        if (path == entriesPath && HttpMethods.IsPost(context.Request.Method))
        {
            await HandleUploadAsync(context);
        }
        else if (path.StartsWith(entriesPath + "/", StringComparison.Ordinal)
            && HttpMethods.IsGet(context.Request.Method))
        {
            await HandleGetAsync(context, path[(entriesPath.Length + 1)..]);
        }
        else if (path == "/api/v1/log/publicKey")
        {
            context.Response.ContentType = "application/x-pem-file";
            await context.Response.WriteAsync(PemEncoding.WriteString("PUBLIC KEY", PublicKey) + "\n");
        }
        else if (path == "/api/v1/log")
        {
            byte[] body;
            lock (_gate)
            {
                var size = _tree.Size;
                body = Json.Object(writer =>
                {
                    writer.WriteString("rootHash", Convert.ToHexStringLower(_tree.RootHash(size)));
                    writer.WriteNumber("treeSize", size);
                    writer.WriteString("signedTreeHead", Checkpoint(size, _tree.RootHash(size)));
                    writer.WriteString("treeID", TreeId.ToString(CultureInfo.InvariantCulture));
                });
            }

            await Json.WriteAsync(context, 200, body);
        }
        else
        {
            await Json.WriteErrorAsync(context, 404, "not found");
        }
    }

    private async Task HandleUploadAsync(HttpContext context)
    {
        using var document = await Json.TryReadAsync(context.Request);
        if (document is null)
        {
            await Json.WriteErrorAsync(context, 400, "the request body is not JSON");
            return;
        }

        // Step 1: validate the proposed entry.
        IProposedEntry entry;
        try
        {
            entry = JwtVerifier.String(document.RootElement, "kind") == "dsse"
                ? DsseEntry.Parse(document.RootElement)
                : HashedRekordEntry.Parse(document.RootElement);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or KeyNotFoundException
            or InvalidOperationException or CryptographicException or ArgumentException)
        {
            await Json.WriteErrorAsync(context, 400, "invalid entry: " + e.Message);
            return;
        }

        // Step 2: integrate it, unless it is already in the log.
        var body = entry.CanonicalBody();
        var leafHash = MerkleTree.LeafHash(body);
        byte[] response;
        lock (_gate)
        {
            var existing = _entries.FindIndex(e => e.LeafHash.AsSpan().SequenceEqual(leafHash));
            if (existing >= 0)
            {
                context.Response.Headers.Location = $"/api/v1/log/entries/{Uuid(leafHash)}";
                response = [];
            }
            else
            {
                var index = _tree.Append(body);
                var stored = new StoredEntry(body, leafHash, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), index);
                _entries.Add(stored);
                response = Describe(stored);
            }
        }

        if (response.Length == 0)
        {
            await Json.WriteErrorAsync(context, 409, "an equivalent entry already exists in the transparency log");
            return;
        }

        context.Response.Headers.Location = $"/api/v1/log/entries/{Uuid(leafHash)}";
        context.Response.Headers.ETag = Uuid(leafHash);
        await Json.WriteAsync(context, 201, response);
    }

    private async Task HandleGetAsync(HttpContext context, string uuid)
    {
        byte[]? response = null;
        lock (_gate)
        {
            var stored = _entries.Find(e => string.Equals(Uuid(e.LeafHash), uuid, StringComparison.OrdinalIgnoreCase));
            if (stored is not null)
            {
                response = Describe(stored);
            }
        }

        if (response is null)
        {
            await Json.WriteErrorAsync(context, 404, "entry not found");
            return;
        }

        await Json.WriteAsync(context, 200, response);
    }

    /// <summary>The Rekor log entry object for a stored entry, proven against the current tree.</summary>
    private byte[] Describe(StoredEntry stored)
    {
        var size = _tree.Size;
        var root = _tree.RootHash(size);
        var path = _tree.InclusionPath(stored.Index, size);
        var logIndex = LogIndexOffset + stored.Index;
        var logId = Convert.ToHexStringLower(LogId);
        var bodyBase64 = Convert.ToBase64String(stored.Body);

        // The SET: RFC 8785 canonical JSON of these four keys (already in sorted order).
        var promise = Json.Object(writer =>
        {
            writer.WriteString("body", bodyBase64);
            writer.WriteNumber("integratedTime", stored.IntegratedTime);
            writer.WriteString("logID", logId);
            writer.WriteNumber("logIndex", logIndex);
        });
        var set = _key.SignData(promise, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        return Json.Object(writer =>
        {
            writer.WriteStartObject(Uuid(stored.LeafHash));
            writer.WriteString("body", bodyBase64);
            writer.WriteNumber("integratedTime", stored.IntegratedTime);
            writer.WriteString("logID", logId);
            writer.WriteNumber("logIndex", logIndex);
            writer.WriteStartObject("verification");
            writer.WriteString("signedEntryTimestamp", Convert.ToBase64String(set));
            writer.WriteStartObject("inclusionProof");
            writer.WriteString("checkpoint", Checkpoint(size, root));
            writer.WriteStartArray("hashes");
            foreach (var hash in path)
            {
                writer.WriteStringValue(Convert.ToHexStringLower(hash));
            }

            writer.WriteEndArray();
            writer.WriteNumber("logIndex", stored.Index);
            writer.WriteString("rootHash", Convert.ToHexStringLower(root));
            writer.WriteNumber("treeSize", size);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary>A C2SP signed note: origin, size, root, a Timestamp line, then the log's signature line.</summary>
    private string Checkpoint(int size, byte[] root)
    {
        var nanoseconds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000L;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{CheckpointOrigin}\n{size}\n{Convert.ToBase64String(root)}\nTimestamp: {nanoseconds}\n");
        var signature = _key.SignData(
            Encoding.UTF8.GetBytes(text), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var line = new byte[4 + signature.Length];
        LogId.AsSpan(0, 4).CopyTo(line);
        signature.CopyTo(line.AsSpan(4));
        return $"{text}\n\u2014 {CheckpointName} {Convert.ToBase64String(line)}\n";
    }

    private sealed record StoredEntry(byte[] Body, byte[] LeafHash, long IntegratedTime, int Index);
}
