using System.Net;
using System.Net.Sockets;

namespace Coffer.Testing.Internal;

/// <summary>
/// Hands out free 127.0.0.1 ports for child processes. A port is never handed out twice within
/// this test process; another program can still take it first, so callers retry on "address in use".
/// </summary>
internal static class PortAllocator
{
    private static readonly HashSet<int> Given = [];
    private static readonly Lock Gate = new();

    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();

            lock (Gate)
            {
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
