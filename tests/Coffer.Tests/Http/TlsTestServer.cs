using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Coffer.Tests.Http;

/// <summary>
/// A TLS server on 127.0.0.1 that sends a certificate chain of the test's choosing and answers
/// every request with one manifest digest: enough for <c>coffer resolve</c> to report the digest
/// once the handshake passes.
/// </summary>
internal sealed class TlsTestServer : IAsyncDisposable
{
    /// <summary>The digest every answer carries.</summary>
    public const string Digest = "sha256:5b0fbc1ea3c7a2a1c5cf5fd0a0e1d6b2b5f08d37f4a8bb8e3f0e0dc5a1d1e2f3";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly SslStreamCertificateContext _context;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TlsTestServer(X509Certificate2 leaf, params X509Certificate2[] intermediates)
    {
        _context = SslStreamCertificateContext.Create(leaf, [.. intermediates], offline: true);
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public string Host => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions { ServerCertificateContext = _context }, _stop.Token);

                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await tls.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                var answer = "HTTP/1.1 200 OK\r\n"
                    + "Content-Type: application/vnd.oci.image.manifest.v1+json\r\n"
                    + $"Docker-Content-Digest: {Digest}\r\n"
                    + "Content-Length: 2\r\nConnection: close\r\n\r\n";
                await tls.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
            }
            catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException)
            {
                // A client that refuses the certificate ends the handshake; that is the test's point.
            }
        }
    }
}
