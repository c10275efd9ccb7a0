using System.Security.Cryptography.X509Certificates;
using Coffer.Errors;
using Coffer.Http;

namespace Coffer.Registry;

/// <summary>Builds the one <see cref="HttpClient"/> a client uses, with its TLS settings.</summary>
internal static class HttpClientFactory
{
    public static HttpClient Create(RegistryClientOptions options, string registryHost)
    {
        var handler = new SocketsHttpHandler
        {
            // Redirects are followed by RegistryTransport, which drops credentials across origins.
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = true,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            EnableMultipleHttp2Connections = true,
        };

        var extraRoots = LoadCaFile(options.CaFile);
        if (options.Insecure || extraRoots is not null || SystemTrust.IsOwned)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                options.Insecure || SystemTrust.Validate(certificate, chain, errors, extraRoots);
        }

        if (options.CertFile is not null || options.KeyFile is not null)
        {
            var clientCertificate = LoadClientCertificate(options.CertFile, options.KeyFile);
            var host = HostOf(registryHost);

            // Offered only in handshakes with the registry itself, never to a redirect target.
            handler.SslOptions.LocalCertificateSelectionCallback = (_, targetHost, _, _, _) =>
                string.Equals(targetHost, host, StringComparison.OrdinalIgnoreCase) ? clientCertificate : null!;
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        var http = new HttpClient(handler, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent.Value);
        return http;
    }

    private static string HostOf(string registry)
    {
        var colon = registry.LastIndexOf(':');
        return colon < 0 ? registry : registry[..colon];
    }

    private static X509Certificate2Collection? LoadCaFile(string? path)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPemFile(path);
            if (collection.Count == 0)
            {
                throw new UsageException($"--ca-file {path} holds no PEM certificate");
            }

            return collection;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException
            or System.Security.Cryptography.CryptographicException)
        {
            throw new UsageException($"--ca-file {path} could not be read: {e.Message}");
        }
    }

    private static X509Certificate2 LoadClientCertificate(string? certFile, string? keyFile)
    {
        if (certFile is null || keyFile is null)
        {
            throw new UsageException("--cert-file and --key-file must be used together");
        }

        try
        {
            var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);

            // An ephemeral key cannot be used for a TLS client handshake on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException
            or System.Security.Cryptography.CryptographicException)
        {
            throw new UsageException($"--cert-file/--key-file could not be loaded: {e.Message}");
        }
    }
}
