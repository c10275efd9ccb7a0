using Coffer.Testing;

namespace Coffer.Tests.Testing;

public sealed class ToolCheckTests
{
    [Theory]
    [InlineData(ToolCheck.DockerRegistry)]
    [InlineData(ToolCheck.Htpasswd)]
    [InlineData(ToolCheck.Skopeo)]
    public void Require_InstalledProgram_ReturnsExistingPath(string program)
    {
        var path = ToolCheck.Require(program);

        Assert.True(File.Exists(path));
        Assert.Equal(program, Path.GetFileName(path));
    }

    [Fact]
    public void Require_MissingProgram_ThrowsWithInstallHint()
    {
        var error = Assert.Throws<MissingToolException>(() => ToolCheck.Require("coffer-no-such-program"));

        Assert.Equal("coffer-no-such-program", error.Program);
        Assert.Contains("apt-get install", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ToolCheck.DockerRegistry, "docker-registry")]
    [InlineData(ToolCheck.Htpasswd, "apache2-utils")]
    [InlineData(ToolCheck.Skopeo, "skopeo")]
    public void MissingToolMessage_NamesDebianPackage(string program, string package)
    {
        var error = new MissingToolException(program, ToolCheck.PackageFor(program));

        Assert.Contains($"apt-get install {package}", error.Message, StringComparison.Ordinal);
    }
}
