using Coffer.Http;

namespace Coffer.Tests.Http;

public class AddressClassTests
{
    [Theory]
    [InlineData("localhost", AddressKind.Loopback)]
    [InlineData("LOCALHOST", AddressKind.Loopback)]
    [InlineData("registry.localhost", AddressKind.Loopback)]
    [InlineData("localhost.", AddressKind.Loopback)]
    [InlineData("registry.localhost.", AddressKind.Loopback)]
    [InlineData("127.0.0.1", AddressKind.Loopback)]
    [InlineData("127.10.20.30", AddressKind.Loopback)]
    [InlineData("::1", AddressKind.Loopback)]
    [InlineData("[::1]", AddressKind.Loopback)]
    [InlineData("::ffff:127.0.0.1", AddressKind.Loopback)]
    [InlineData("169.254.169.254", AddressKind.LinkLocal)]
    [InlineData("169.254.0.1", AddressKind.LinkLocal)]
    [InlineData("fe80::1", AddressKind.LinkLocal)]
    [InlineData("[fe80::abcd]", AddressKind.LinkLocal)]
    [InlineData("::ffff:169.254.169.254", AddressKind.LinkLocal)]
    [InlineData("10.0.0.1", AddressKind.Private)]
    [InlineData("172.16.0.1", AddressKind.Private)]
    [InlineData("172.31.255.255", AddressKind.Private)]
    [InlineData("192.168.1.1", AddressKind.Private)]
    [InlineData("100.64.0.1", AddressKind.Private)]
    [InlineData("100.127.255.255", AddressKind.Private)]
    [InlineData("fc00::1", AddressKind.Private)]
    [InlineData("fd12:3456::1", AddressKind.Private)]
    [InlineData("0.0.0.0", AddressKind.Unspecified)]
    [InlineData("0.1.2.3", AddressKind.Unspecified)]
    [InlineData("::", AddressKind.Unspecified)]
    [InlineData("[::]", AddressKind.Unspecified)]
    public void Of_SpecialAddress_IsClassified(string host, AddressKind expected)
    {
        Assert.Equal(expected, AddressClass.Of(host));
    }

    [Theory]
    [InlineData("auth.docker.io")]
    [InlineData("ghcr.io")]
    [InlineData("localhost.example.com")]
    [InlineData("8.8.8.8")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.1.1")]
    [InlineData("11.0.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("2001:db8::1")]
    [InlineData("fec0::1")]
    public void Of_PublicHostOrAddress_IsPublic(string host)
    {
        Assert.Equal(AddressKind.Public, AddressClass.Of(host));
    }
}
