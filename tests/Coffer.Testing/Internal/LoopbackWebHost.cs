using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coffer.Testing.Internal;

/// <summary>Starts a Kestrel server on 127.0.0.1 with a free port and a single request handler.</summary>
internal static class LoopbackWebHost
{
    public static async Task<(WebApplication App, Uri BaseUri)> StartAsync(
        RequestDelegate handler,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });

        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(cancellationToken);

        var address = app.Urls.Single();
        var port = new Uri(address).Port;
        return (app, new Uri($"http://127.0.0.1:{port}/"));
    }
}
