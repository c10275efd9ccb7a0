using System.Net;
using System.Security.Cryptography.X509Certificates;
using Coffer.Testing;
using Coffer.Tests.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Coffer.Tests.Faults;

/// <summary>
/// An HTTPS registry that redirects to plain HTTP: the redirect is refused, nothing goes out in clear.
/// </summary>
public sealed class DowngradeTests
{
    [Fact]
    public async Task Pull_HttpsRedirectToHttp_IsRefused()
    {
        await using var plain = await FakeRegistry.StartAsync();
        using var runner = new CofferRunner();
        using var certificates = TestCertificates.Create(Path.Combine(runner.Root, "certs"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
            listen.UseHttps(X509CertificateLoader.LoadPkcs12(
                certificates.Server.Export(X509ContentType.Pkcs12), null))));
        await using var app = builder.Build();
        app.Run(context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = new Uri(plain.BaseUri, context.Request.Path.Value).ToString();
            return Task.CompletedTask;
        });
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;

        var pull = await runner.PipeAsync("secret-password-99",
            "pull", "--ca-file", certificates.CaCertificatePath, "-u", "me", "--password-stdin",
            $"127.0.0.1:{port}/down/grade:v1", "-o", "out");

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("refusing the downgrade", pull.Stderr, StringComparison.Ordinal);
        Assert.Empty(plain.Requests);
    }
}
