using System.Collections.Concurrent;
using Coffer.Testing.Internal;
using Coffer.Testing.Sigstore.Servers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Coffer.Testing.Sigstore.Internal;

/// <summary>The Kestrel host, request log and fault plan every test Sigstore server shares.</summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ServerRequest> _requests = new();

    private ServerHost(WebApplication app, Uri baseUri, FaultPlan faults)
    {
        _app = app;
        BaseUri = baseUri;
        Faults = faults;
    }

    public Uri BaseUri { get; }

    /// <summary>The base URL without the trailing slash, as Sigstore configuration writes it.</summary>
    public string Url => BaseUri.GetLeftPart(UriPartial.Authority);

    public FaultPlan Faults { get; }

    public IReadOnlyList<ServerRequest> Requests => _requests.ToArray();

    public static async Task<ServerHost> StartAsync(RequestDelegate handler, CancellationToken cancellationToken)
    {
        var faults = new FaultPlan();
        ServerHost? host = null;
        var (app, baseUri) = await LoopbackWebHost.StartAsync(
            context => host!.HandleAsync(context, handler), cancellationToken);
        host = new ServerHost(app, baseUri, faults);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, RequestDelegate handler)
    {
        try
        {
            if (!await Faults.TryFailAsync(context))
            {
                await handler(context);
            }
        }
        finally
        {
            var request = context.Request;
            _requests.Enqueue(new ServerRequest(
                request.Method,
                request.Path.Value + request.QueryString.Value,
                context.Response.StatusCode,
                NullIfEmpty(request.Headers.Authorization.ToString()),
                NullIfEmpty(request.Headers.UserAgent.ToString())));
        }
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
