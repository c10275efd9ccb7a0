using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Coffer.Testing.Internal;

/// <summary>
/// The OCI distribution endpoints of <see cref="FakeRegistry"/>, kept in memory.
/// Section names refer to the OCI distribution spec v1.1 ("Pull", "Push", "Content discovery").
/// </summary>
internal sealed partial class FakeRegistryHandler(FakeRegistryOptions options, Func<Uri> baseUri)
{
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, FakeRepository> _repositories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeUpload> _uploads = new(StringComparer.Ordinal);

    public int OpenUploads
    {
        get
        {
            lock (_gate)
            {
                return _uploads.Count;
            }
        }
    }

    public string AddBlob(string repository, byte[] content)
    {
        var digest = Digests.Sha256(content);
        lock (_gate)
        {
            Repository(repository, create: true)!.Blobs[digest] = content;
        }

        return digest;
    }

    public string AddManifest(string repository, byte[] content, string mediaType, string? tag)
    {
        var digest = Digests.Sha256(content);
        lock (_gate)
        {
            var repo = Repository(repository, create: true)!;
            repo.Manifests[digest] = new FakeManifest(digest, mediaType, content);
            if (tag is not null)
            {
                repo.Tags[tag] = digest;
            }
        }

        return digest;
    }

    public byte[]? FindBlob(string repository, string digest)
    {
        lock (_gate)
        {
            return Repository(repository, create: false)?.Blobs.GetValueOrDefault(digest);
        }
    }

    public FakeManifest? FindManifest(string repository, string reference)
    {
        lock (_gate)
        {
            return Resolve(Repository(repository, create: false), reference);
        }
    }

    public IReadOnlyList<string> Tags(string repository)
    {
        lock (_gate)
        {
            return Repository(repository, create: false)?.Tags.Keys.ToList() ?? [];
        }
    }

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers["Docker-Distribution-Api-Version"] = "registry/2.0";
        var path = context.Request.Path.Value ?? "/";

        if (!path.StartsWith("/v2", StringComparison.Ordinal))
        {
            await OciErrors.WriteAsync(context, 404, "NOT_FOUND", "not a registry route");
            return;
        }

        if (!IsAuthorized(context.Request))
        {
            context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{options.Realm}\"";
            await OciErrors.WriteAsync(context, 401, "UNAUTHORIZED", "authentication required");
            return;
        }

        if (path is "/v2" or "/v2/")
        {
            await WriteBytesAsync(context, 200, "application/json", "{}"u8.ToArray());
            return;
        }

        if (path == "/v2/_catalog")
        {
            await CatalogAsync(context);
            return;
        }

        await RouteRepositoryAsync(context, path[4..]);
    }

    private static bool IsMethod(HttpContext context, params string[] methods) =>
        methods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase);

    private static async Task WriteBytesAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, int? limit = null)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (limit is not null && buffer.Length > limit)
            {
                throw new InvalidDataException("request body too large");
            }
        }

        return buffer.ToArray();
    }

    private static FakeManifest? Resolve(FakeRepository? repository, string reference)
    {
        if (repository is null)
        {
            return null;
        }

        var digest = Digests.IsDigest(reference) ? reference : repository.Tags.GetValueOrDefault(reference);
        return digest is null ? null : repository.Manifests.GetValueOrDefault(digest);
    }

    private static bool Accepts(HttpRequest request, string mediaType)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Contains(mediaType, StringComparison.OrdinalIgnoreCase)
            || accept.Contains("*/*", StringComparison.Ordinal);
    }

    private static void Paginate(HttpContext context, List<string> names, string linkPath, out List<string> page)
    {
        var query = context.Request.Query;
        var last = query["last"].ToString();
        page = string.IsNullOrEmpty(last)
            ? names
            : names.Where(n => string.CompareOrdinal(n, last) > 0).ToList();

        if (int.TryParse(query["n"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < page.Count)
        {
            page = page.Take(n).ToList();
            var next = $"{linkPath}?n={n}&last={Uri.EscapeDataString(page[^1])}";
            context.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        }
    }

    [GeneratedRegex("^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryName();

    private bool IsAuthorized(HttpRequest request)
    {
        if (options.Username is null)
        {
            return true;
        }

        var expected = "Basic " + Convert.ToBase64String(
            Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
        return string.Equals(request.Headers.Authorization.ToString(), expected, StringComparison.Ordinal);
    }

    private FakeRepository? Repository(string name, bool create)
    {
        if (_repositories.TryGetValue(name, out var repository))
        {
            return repository;
        }

        if (!create)
        {
            return null;
        }

        repository = new FakeRepository();
        _repositories[name] = repository;
        return repository;
    }

    private async Task RouteRepositoryAsync(HttpContext context, string rest)
    {
        string name;
        if (Split(rest, "/blobs/uploads", out name, out var session))
        {
            await UploadAsync(context, name, session.TrimStart('/'));
        }
        else if (Split(rest, "/blobs/", out name, out var digest))
        {
            await BlobAsync(context, name, digest);
        }
        else if (Split(rest, "/manifests/", out name, out var reference))
        {
            await ManifestAsync(context, name, reference);
        }
        else if (rest.EndsWith("/tags/list", StringComparison.Ordinal))
        {
            await TagsAsync(context, rest[..^"/tags/list".Length]);
        }
        else if (Split(rest, "/referrers/", out name, out var subject))
        {
            await ReferrersAsync(context, name, subject);
        }
        else
        {
            await OciErrors.WriteAsync(context, 404, "NOT_FOUND", "unknown route");
        }
    }

    private static bool Split(string rest, string marker, out string name, out string tail)
    {
        var at = rest.LastIndexOf(marker, StringComparison.Ordinal);
        if (at <= 0)
        {
            name = tail = string.Empty;
            return false;
        }

        name = rest[..at];
        tail = rest[(at + marker.Length)..];
        return true;
    }

    private static async Task<bool> CheckNameAsync(HttpContext context, string name)
    {
        if (RepositoryName().IsMatch(name))
        {
            return true;
        }

        await OciErrors.WriteAsync(context, 400, "NAME_INVALID", $"invalid repository name '{name}'");
        return false;
    }

    // Pull: "Checking if content exists" (HEAD) and "Pulling blobs" (GET, with Range).
    private async Task BlobAsync(HttpContext context, string name, string digest)
    {
        if (!await CheckNameAsync(context, name))
        {
            return;
        }

        if (IsMethod(context, "DELETE"))
        {
            bool removed;
            lock (_gate)
            {
                removed = Repository(name, create: false)?.Blobs.Remove(digest) ?? false;
            }

            if (removed)
            {
                context.Response.StatusCode = 202;
                return;
            }

            await OciErrors.WriteAsync(context, 404, "BLOB_UNKNOWN", "blob unknown to registry");
            return;
        }

        if (!IsMethod(context, "GET", "HEAD"))
        {
            await OciErrors.WriteAsync(context, 405, "UNSUPPORTED", "method not allowed on blobs");
            return;
        }

        var content = FindBlob(name, digest);
        if (content is null)
        {
            await OciErrors.WriteAsync(context, 404, "BLOB_UNKNOWN", "blob unknown to registry");
            return;
        }

        var headers = context.Response.Headers;
        headers["Docker-Content-Digest"] = digest;
        headers.ETag = $"\"{digest}\"";
        headers.AcceptRanges = "bytes";

        var range = context.Request.Headers.Range.ToString();
        if (string.IsNullOrEmpty(range))
        {
            await WriteBytesAsync(context, 200, "application/octet-stream", content);
            return;
        }

        if (!TryParseRange(range, content.Length, out var start, out var end))
        {
            headers.ContentRange = $"bytes */{content.Length}";
            await OciErrors.WriteAsync(context, 416, "RANGE_INVALID", "requested range not satisfiable");
            return;
        }

        headers.ContentRange = $"bytes {start}-{end}/{content.Length}";
        await WriteBytesAsync(context, 206, "application/octet-stream", content[(int)start..(int)(end + 1)]);
    }

    private static bool TryParseRange(string header, long length, out long start, out long end)
    {
        start = end = 0;
        if (!header.StartsWith("bytes=", StringComparison.Ordinal) || header.Contains(',', StringComparison.Ordinal))
        {
            return false;
        }

        var parts = header["bytes=".Length..].Split('-');
        if (parts.Length != 2)
        {
            return false;
        }

        var hasStart = long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out start);
        var hasEnd = long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out end);
        if (!hasStart && hasEnd)
        {
            start = Math.Max(0, length - end);
            end = length - 1;
        }
        else if (hasStart && !hasEnd)
        {
            end = length - 1;
        }
        else if (!hasStart)
        {
            return false;
        }

        end = Math.Min(end, length - 1);
        return start <= end && start < length;
    }

    // Push: POST opens a session (or mounts, or takes a monolithic body); PATCH appends; PUT closes.
    private async Task UploadAsync(HttpContext context, string name, string sessionId)
    {
        if (!await CheckNameAsync(context, name))
        {
            return;
        }

        if (sessionId.Length == 0)
        {
            if (IsMethod(context, "POST"))
            {
                await StartUploadAsync(context, name);
            }
            else
            {
                await OciErrors.WriteAsync(context, 405, "UNSUPPORTED", "POST to open an upload");
            }

            return;
        }

        FakeUpload? upload;
        lock (_gate)
        {
            upload = _uploads.GetValueOrDefault(sessionId);
        }

        if (upload is null || upload.Repository != name)
        {
            await OciErrors.WriteAsync(context, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
            return;
        }

        var state = context.Request.Query["_state"].ToString();
        lock (upload.Gate)
        {
            if (state != upload.State.ToString(CultureInfo.InvariantCulture))
            {
                upload = null;
            }
        }

        if (upload is null)
        {
            await OciErrors.WriteAsync(
                context, 400, "BLOB_UPLOAD_INVALID", "stale or missing _state: use the latest Location");
            return;
        }

        switch (context.Request.Method.ToUpperInvariant())
        {
            case "PATCH":
                await PatchAsync(context, name, sessionId, upload);
                break;
            case "PUT":
                await FinishUploadAsync(context, name, sessionId, upload);
                break;
            case "GET":
                WriteSessionHeaders(context, name, sessionId, upload);
                context.Response.StatusCode = 204;
                break;
            case "DELETE":
                lock (_gate)
                {
                    _uploads.Remove(sessionId);
                }

                context.Response.StatusCode = 204;
                break;
            default:
                await OciErrors.WriteAsync(context, 405, "UNSUPPORTED", "method not allowed on uploads");
                break;
        }
    }

    private async Task StartUploadAsync(HttpContext context, string name)
    {
        var query = context.Request.Query;
        var mount = query["mount"].ToString();
        var from = query["from"].ToString();

        // Push: "Mounting a blob from another repository" answers 201 only when the source has it.
        if (mount.Length > 0 && from.Length > 0 && FindBlob(from, mount) is { } mounted)
        {
            lock (_gate)
            {
                Repository(name, create: true)!.Blobs[mount] = mounted;
            }

            WriteBlobCreated(context, name, mount);
            return;
        }

        // Push: "POST then PUT" in a single request, when the client sends ?digest= and a body.
        var digest = query["digest"].ToString();
        if (digest.Length > 0)
        {
            var body = await ReadBodyAsync(context.Request);
            await StoreBlobAsync(context, name, digest, body);
            return;
        }

        var sessionId = Guid.NewGuid().ToString();
        var upload = new FakeUpload(name);
        lock (_gate)
        {
            Repository(name, create: true);
            _uploads[sessionId] = upload;
        }

        WriteSessionHeaders(context, name, sessionId, upload);
        context.Response.StatusCode = 202;
        context.Response.ContentLength = 0;
    }

    private async Task PatchAsync(HttpContext context, string name, string sessionId, FakeUpload upload)
    {
        var body = await ReadBodyAsync(context.Request);
        var contentRange = context.Request.Headers.ContentRange.ToString();

        string? problem = null;
        lock (upload.Gate)
        {
            if (contentRange.Length > 0)
            {
                var parts = contentRange.Split('-');
                if (parts.Length != 2
                    || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                    || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end))
                {
                    problem = "invalid";
                }
                else if (start != upload.Data.Length)
                {
                    problem = "range";
                }
                else if (end - start + 1 != body.Length)
                {
                    problem = "invalid";
                }
            }

            if (problem is null)
            {
                upload.Data.Write(body);
                upload.State++;
            }
        }

        if (problem == "range")
        {
            WriteSessionHeaders(context, name, sessionId, upload);
            await OciErrors.WriteAsync(context, 416, "BLOB_UPLOAD_INVALID", "chunk does not start at the end");
            return;
        }

        if (problem is not null)
        {
            await OciErrors.WriteAsync(context, 400, "BLOB_UPLOAD_INVALID", "Content-Range does not fit the body");
            return;
        }

        WriteSessionHeaders(context, name, sessionId, upload);
        context.Response.StatusCode = 202;
        context.Response.ContentLength = 0;
    }

    private async Task FinishUploadAsync(HttpContext context, string name, string sessionId, FakeUpload upload)
    {
        var body = await ReadBodyAsync(context.Request);
        byte[] content;
        lock (upload.Gate)
        {
            upload.Data.Write(body);
            content = upload.Data.ToArray();
        }

        lock (_gate)
        {
            _uploads.Remove(sessionId);
        }

        await StoreBlobAsync(context, name, context.Request.Query["digest"].ToString(), content);
    }

    private async Task StoreBlobAsync(HttpContext context, string name, string digest, byte[] content)
    {
        var actual = Digests.ComputeLike(digest, content);
        if (actual is null || !string.Equals(actual, digest, StringComparison.Ordinal))
        {
            await OciErrors.WriteAsync(
                context, 400, "DIGEST_INVALID", "provided digest did not match uploaded content");
            return;
        }

        lock (_gate)
        {
            Repository(name, create: true)!.Blobs[digest] = content;
        }

        WriteBlobCreated(context, name, digest);
    }

    private void WriteBlobCreated(HttpContext context, string name, string digest)
    {
        context.Response.StatusCode = 201;
        context.Response.Headers.Location = Location($"/v2/{name}/blobs/{digest}");
        context.Response.Headers["Docker-Content-Digest"] = digest;
        context.Response.ContentLength = 0;
    }

    private void WriteSessionHeaders(HttpContext context, string name, string sessionId, FakeUpload upload)
    {
        long length;
        int state;
        lock (upload.Gate)
        {
            length = upload.Data.Length;
            state = upload.State;
        }

        var headers = context.Response.Headers;
        headers.Location = Location(
            $"/v2/{name}/blobs/uploads/{sessionId}?_state={state.ToString(CultureInfo.InvariantCulture)}");
        headers["Docker-Upload-UUID"] = sessionId;
        headers.Range = $"0-{Math.Max(0, length - 1).ToString(CultureInfo.InvariantCulture)}";
    }

    private string Location(string path) =>
        options.AbsoluteLocations ? new Uri(baseUri(), path).ToString() : path;

    // Pull and Push of manifests, by tag or digest; Content management: deleting manifests and tags.
    private async Task ManifestAsync(HttpContext context, string name, string reference)
    {
        if (!await CheckNameAsync(context, name))
        {
            return;
        }

        switch (context.Request.Method.ToUpperInvariant())
        {
            case "GET":
            case "HEAD":
                await GetManifestAsync(context, name, reference);
                break;
            case "PUT":
                await PutManifestAsync(context, name, reference);
                break;
            case "DELETE":
                await DeleteManifestAsync(context, name, reference);
                break;
            default:
                await OciErrors.WriteAsync(context, 405, "UNSUPPORTED", "method not allowed on manifests");
                break;
        }
    }

    private async Task GetManifestAsync(HttpContext context, string name, string reference)
    {
        var manifest = FindManifest(name, reference);
        if (manifest is null)
        {
            await OciErrors.WriteAsync(context, 404, "MANIFEST_UNKNOWN", "manifest unknown");
            return;
        }

        if (options.RequireManifestAccept
            && manifest.MediaType is OciManifest or OciIndex
            && !Accepts(context.Request, manifest.MediaType))
        {
            await OciErrors.WriteAsync(
                context,
                404,
                "MANIFEST_UNKNOWN",
                "OCI manifest found, but accept header does not support OCI manifests");
            return;
        }

        context.Response.Headers["Docker-Content-Digest"] = manifest.Digest;
        context.Response.Headers.ETag = $"\"{manifest.Digest}\"";
        await WriteBytesAsync(context, 200, manifest.MediaType, manifest.Content.ToArray());
    }

    private async Task PutManifestAsync(HttpContext context, string name, string reference)
    {
        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request, options.MaxManifestBytes);
        }
        catch (InvalidDataException)
        {
            await OciErrors.WriteAsync(context, 400, "MANIFEST_INVALID", "manifest invalid: request body too large");
            return;
        }

        var mediaType = context.Request.ContentType;
        if (string.IsNullOrEmpty(mediaType))
        {
            await OciErrors.WriteAsync(context, 400, "MANIFEST_INVALID", "manifest PUT needs a Content-Type");
            return;
        }

        var digest = Digests.IsDigest(reference) ? Digests.ComputeLike(reference, body) : Digests.Sha256(body);
        if (Digests.IsDigest(reference) && digest != reference)
        {
            await OciErrors.WriteAsync(context, 400, "DIGEST_INVALID", "manifest digest did not match the reference");
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            await OciErrors.WriteAsync(context, 400, "MANIFEST_INVALID", "manifest invalid: not JSON");
            return;
        }

        string? subject;
        using (document)
        {
            if (options.CheckManifestReferences && MissingReference(name, document.RootElement) is { } missing)
            {
                await OciErrors.WriteAsync(context, 400, missing.Code, $"unknown reference {missing.Digest}");
                return;
            }

            subject = document.RootElement.TryGetProperty("subject", out var s)
                && s.TryGetProperty("digest", out var d) ? d.GetString() : null;
        }

        lock (_gate)
        {
            var repository = Repository(name, create: true)!;
            repository.Manifests[digest!] = new FakeManifest(digest!, mediaType, body);
            if (!Digests.IsDigest(reference))
            {
                repository.Tags[reference] = digest!;
            }
        }

        if (subject is not null && options.SupportReferrers)
        {
            context.Response.Headers["OCI-Subject"] = subject;
        }

        context.Response.StatusCode = 201;
        context.Response.Headers.Location = Location($"/v2/{name}/manifests/{digest}");
        context.Response.Headers["Docker-Content-Digest"] = digest;
        context.Response.ContentLength = 0;
    }

    private (string Code, string Digest)? MissingReference(string name, JsonElement root)
    {
        lock (_gate)
        {
            var repository = Repository(name, create: false);
            bool HasBlob(string d) => repository?.Blobs.ContainsKey(d) ?? false;
            bool HasManifest(string d) => repository?.Manifests.ContainsKey(d) ?? false;

            if (root.TryGetProperty("config", out var config) && Digest(config) is { } configDigest
                && !HasBlob(configDigest))
            {
                return ("MANIFEST_BLOB_UNKNOWN", configDigest);
            }

            foreach (var (property, check, code) in new (string, Func<string, bool>, string)[]
                     {
                         ("layers", HasBlob, "MANIFEST_BLOB_UNKNOWN"),
                         ("manifests", HasManifest, "MANIFEST_UNKNOWN"),
                     })
            {
                if (!root.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var item in list.EnumerateArray())
                {
                    if (Digest(item) is { } d && !check(d))
                    {
                        return (code, d);
                    }
                }
            }

            return null;
        }

        static string? Digest(JsonElement descriptor) =>
            descriptor.ValueKind == JsonValueKind.Object && descriptor.TryGetProperty("digest", out var d)
                ? d.GetString()
                : null;
    }

    private async Task DeleteManifestAsync(HttpContext context, string name, string reference)
    {
        bool removed;
        lock (_gate)
        {
            var repository = Repository(name, create: false);
            if (repository is null)
            {
                removed = false;
            }
            else if (Digests.IsDigest(reference))
            {
                removed = repository.Manifests.Remove(reference);
                foreach (var tag in repository.Tags.Where(t => t.Value == reference).Select(t => t.Key).ToList())
                {
                    repository.Tags.Remove(tag);
                }
            }
            else
            {
                removed = repository.Tags.Remove(reference);
            }
        }

        if (removed)
        {
            context.Response.StatusCode = 202;
            return;
        }

        await OciErrors.WriteAsync(context, 404, "MANIFEST_UNKNOWN", "manifest unknown");
    }

    // Content discovery: "Listing tags" with n/last pagination and a Link header.
    private async Task TagsAsync(HttpContext context, string name)
    {
        if (!await CheckNameAsync(context, name))
        {
            return;
        }

        List<string>? tags;
        lock (_gate)
        {
            tags = Repository(name, create: false)?.Tags.Keys.ToList();
        }

        if (tags is null)
        {
            await OciErrors.WriteAsync(context, 404, "NAME_UNKNOWN", "repository name not known to registry");
            return;
        }

        Paginate(context, tags, $"/v2/{name}/tags/list", out var page);
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new Dictionary<string, object> { ["name"] = name, ["tags"] = page });
        await WriteBytesAsync(context, 200, "application/json", body);
    }

    private async Task CatalogAsync(HttpContext context)
    {
        List<string> names;
        lock (_gate)
        {
            names = _repositories.Keys.Order(StringComparer.Ordinal).ToList();
        }

        Paginate(context, names, "/v2/_catalog", out var page);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["repositories"] = page });
        await WriteBytesAsync(context, 200, "application/json", body);
    }

    // Content discovery: "Listing referrers" (OCI 1.1), optionally filtered by artifactType.
    private async Task ReferrersAsync(HttpContext context, string name, string subject)
    {
        if (!options.SupportReferrers)
        {
            await WriteBytesAsync(context, 404, "text/plain; charset=utf-8", "404 page not found\n"u8.ToArray());
            return;
        }

        List<FakeManifest> manifests;
        lock (_gate)
        {
            manifests = Repository(name, create: false)?.Manifests.Values.ToList() ?? [];
        }

        var filter = context.Request.Query["artifactType"].ToString();
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", OciIndex);
            writer.WriteStartArray("manifests");
            foreach (var manifest in manifests)
            {
                WriteReferrer(writer, manifest, subject, filter);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (filter.Length > 0)
        {
            context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        }

        await WriteBytesAsync(context, 200, OciIndex, stream.ToArray());
    }

    private static void WriteReferrer(Utf8JsonWriter writer, FakeManifest manifest, string subject, string filter)
    {
        using var document = JsonDocument.Parse(manifest.Content);
        var root = document.RootElement;
        if (!root.TryGetProperty("subject", out var s) || !s.TryGetProperty("digest", out var d)
            || d.GetString() != subject)
        {
            return;
        }

        var artifactType = root.TryGetProperty("artifactType", out var a) ? a.GetString()
            : root.TryGetProperty("config", out var c) && c.TryGetProperty("mediaType", out var m) ? m.GetString()
            : null;
        if (filter.Length > 0 && artifactType != filter)
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("mediaType", manifest.MediaType);
        writer.WriteString("digest", manifest.Digest);
        writer.WriteNumber("size", manifest.Content.Length);
        if (artifactType is not null)
        {
            writer.WriteString("artifactType", artifactType);
        }

        if (root.TryGetProperty("annotations", out var annotations))
        {
            writer.WritePropertyName("annotations");
            annotations.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}
