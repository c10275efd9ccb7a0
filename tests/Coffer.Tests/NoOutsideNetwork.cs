using System.Runtime.CompilerServices;

namespace Coffer.Tests;

/// <summary>
/// Points every HTTP client in the test process, and in the coffer processes the tests start, at
/// a proxy address where nothing listens, with loopback exempt: a request that would leave this
/// machine, say to a public-good default, fails at once instead of looking a name up.
/// </summary>
internal static class NoOutsideNetwork
{
    public const string DeadProxy = "http://127.0.0.1:9";

    public const string Loopback = "127.0.0.1,localhost,::1";

#pragma warning disable CA2255 // A test assembly sets its own process environment before any client exists.
    [ModuleInitializer]
#pragma warning restore CA2255
    public static void Apply()
    {
        foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy" })
        {
            Environment.SetEnvironmentVariable(name, DeadProxy);
        }

        Environment.SetEnvironmentVariable("NO_PROXY", Loopback);
        Environment.SetEnvironmentVariable("no_proxy", Loopback);
    }
}
