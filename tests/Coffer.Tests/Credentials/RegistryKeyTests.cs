using Coffer.Credentials;

namespace Coffer.Tests.Credentials;

public class RegistryKeyTests
{
    [Theory]
    [InlineData("ghcr.io", "ghcr.io")]
    [InlineData("https://ghcr.io/", "ghcr.io")]
    [InlineData("https://ghcr.io", "ghcr.io")]
    [InlineData("http://localhost:5000/v2/", "localhost:5000")]
    [InlineData("  GHCR.io/owner/repo ", "ghcr.io")]
    [InlineData("HTTPS://Registry.Example:8443", "registry.example:8443")]
    [InlineData("[::1]:5000", "[::1]:5000")]
    public void NormalizeInput_StripsSchemePathAndCase(string input, string expected)
    {
        Assert.Equal(expected, RegistryKey.NormalizeInput(input));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("https://")]
    [InlineData("https:///path")]
    [InlineData("bad host")]
    public void NormalizeInput_RejectsNoHost(string input)
    {
        Assert.Throws<ArgumentException>(() => RegistryKey.NormalizeInput(input));
    }

    [Theory]
    [InlineData("docker.io")]
    [InlineData("index.docker.io")]
    [InlineData("registry-1.docker.io")]
    [InlineData("https://registry-1.docker.io/")]
    [InlineData("https://index.docker.io/v1/")]
    public void ToStorageKey_MapsDockerHubNamesToTheDockerCliKey(string registry)
    {
        Assert.Equal("https://index.docker.io/v1/", RegistryKey.ToStorageKey(registry));
    }

    [Fact]
    public void ToStorageKey_KeepsOtherHostsBare()
    {
        Assert.Equal("ghcr.io", RegistryKey.ToStorageKey("https://ghcr.io/"));
        Assert.Equal("localhost:5000", RegistryKey.ToStorageKey("localhost:5000"));
    }

    [Theory]
    [InlineData("https://ghcr.io/", "ghcr.io", true)]
    [InlineData("http://ghcr.io/v2", "GHCR.IO", true)]
    [InlineData("https://index.docker.io/v1/", "docker.io", true)]
    [InlineData("docker.io", "registry-1.docker.io", true)]
    [InlineData("ghcr.io", "ghcr.io:443", false)]
    [InlineData("localhost:5000", "localhost:5001", false)]
    [InlineData("ghcr.io.evil", "ghcr.io", false)]
    [InlineData("", "ghcr.io", false)]
    public void HostMatches_ComparesNormalisedHosts(string key, string registry, bool expected)
    {
        Assert.Equal(expected, RegistryKey.HostMatches(key, registry));
    }
}
