using System.Net;
using System.Net.Sockets;

namespace Coffer.Http;

/// <summary>Classifies hosts into <see cref="AddressKind"/>.</summary>
public static class AddressClass
{
    /// <summary>Classifies a host name or IP literal. DNS names other than localhost count as public.</summary>
    public static AddressKind Of(string host)
    {
        // A fully qualified name may end in a dot ("localhost."); it names the same host.
        var trimmed = host.Trim('[', ']').TrimEnd('.');
        if (trimmed.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || trimmed.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return AddressKind.Loopback;
        }

        if (!IPAddress.TryParse(trimmed, out var address))
        {
            return AddressKind.Public;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return AddressKind.Loopback;
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return AddressKind.Unspecified;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var first = address.GetAddressBytes()[0];
            return address.IsIPv6LinkLocal ? AddressKind.LinkLocal
                : (first & 0xfe) == 0xfc ? AddressKind.Private
                : AddressKind.Public;
        }

        var b = address.GetAddressBytes();
        return b switch
        {
            [169, 254, ..] => AddressKind.LinkLocal,
            [10, ..] => AddressKind.Private,
            [172, >= 16 and <= 31, ..] => AddressKind.Private,
            [192, 168, ..] => AddressKind.Private,
            [100, >= 64 and <= 127, ..] => AddressKind.Private,
            [0, ..] => AddressKind.Unspecified,
            _ => AddressKind.Public,
        };
    }
}
