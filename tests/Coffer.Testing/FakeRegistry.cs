using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Coffer.Testing.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Coffer.Testing;

/// <summary>
/// An in-memory OCI distribution registry on plain HTTP (Kestrel, 127.0.0.1, free port) for fault tests.
/// Every request is recorded in <see cref="Requests"/>, then <see cref="Intercept"/> may answer it
/// instead of the registry logic (wrong digests, 429, redirects, truncated bodies, odd realms...).
/// </summary>
public sealed class FakeRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeRegistryHandler _handler;
    private readonly ConcurrentQueue<FakeRequest> _requests = new();

    private FakeRegistry(WebApplication app, Uri baseUri, FakeRegistryHandler handler)
    {
        _app = app;
        BaseUri = baseUri;
        _handler = handler;
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as a client writes it in a reference.</summary>
    public string Host => BaseUri.Authority;

    /// <summary>
    /// Runs before the registry logic for every request (after it is recorded). Return true when the
    /// hook wrote the response itself; false lets the registry answer. May be changed at any time.
    /// </summary>
    public Func<HttpContext, Task<bool>>? Intercept { get; set; }

    /// <summary>Every request received, oldest first.</summary>
    public IReadOnlyList<FakeRequest> Requests => _requests.ToArray();

    /// <summary>The number of upload sessions opened and not yet finished or cancelled.</summary>
    public int OpenUploadCount => _handler.OpenUploads;

    /// <summary>Starts the fake on a free 127.0.0.1 port.</summary>
    public static async Task<FakeRegistry> StartAsync(
        FakeRegistryOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        FakeRegistry? registry = null;
        var handler = new FakeRegistryHandler(options ?? new FakeRegistryOptions(), () => registry!.BaseUri);
        var (app, baseUri) = await LoopbackWebHost.StartAsync(
            context => registry!.HandleAsync(context), cancellationToken);
        registry = new FakeRegistry(app, baseUri, handler);
        return registry;
    }

    /// <summary>Stores a blob in <paramref name="repository"/> and returns its sha256 digest.</summary>
    public string AddBlob(string repository, byte[] content) => _handler.AddBlob(repository, content);

    /// <summary>Stores a manifest (optionally tagged) and returns its sha256 digest. No checks.</summary>
    public string AddManifest(string repository, byte[] content, string mediaType, string? tag = null) =>
        _handler.AddManifest(repository, content, mediaType, tag);

    /// <summary>Looks up a blob pushed to (or stored in) <paramref name="repository"/>.</summary>
    public bool TryGetBlob(string repository, string digest, [NotNullWhen(true)] out byte[]? content)
    {
        content = _handler.FindBlob(repository, digest);
        return content is not null;
    }

    /// <summary>Looks up a manifest by tag or digest.</summary>
    public bool TryGetManifest(string repository, string reference, [NotNullWhen(true)] out FakeManifest? manifest)
    {
        manifest = _handler.FindManifest(repository, reference);
        return manifest is not null;
    }

    /// <summary>The tags of <paramref name="repository"/>, sorted; empty when it does not exist.</summary>
    public IReadOnlyList<string> GetTags(string repository) => _handler.Tags(repository);

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearRequests() => _requests.Clear();

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var headers = request.Headers.ToDictionary(
            h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new FakeRequest(request.Method, request.Path + request.QueryString, headers));

        if (Intercept is { } intercept && await intercept(context))
        {
            return;
        }

        await _handler.HandleAsync(context);
    }
}
