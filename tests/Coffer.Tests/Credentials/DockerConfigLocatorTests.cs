using Coffer.Credentials;

namespace Coffer.Tests.Credentials;

public class DockerConfigLocatorTests
{
    private static readonly string Home = Path.Combine(Path.GetTempPath(), "coffer-fake-home");

    [Fact]
    public void Resolve_PrefersTheExplicitPath()
    {
        var locator = new DockerConfigLocator(Environment(("DOCKER_CONFIG", "/elsewhere")), Home);
        string explicitPath = Path.Combine(Path.GetTempPath(), "mine.json");

        Assert.Equal(explicitPath, locator.Resolve(explicitPath));
    }

    [Fact]
    public void Resolve_MakesARelativeExplicitPathAbsolute()
    {
        var locator = new DockerConfigLocator(Environment(), Home);

        string resolved = locator.Resolve("auth.json");

        Assert.True(Path.IsPathFullyQualified(resolved));
        Assert.Equal("auth.json", Path.GetFileName(resolved));
    }

    [Fact]
    public void Resolve_UsesDockerConfigDirectoryWhenSet()
    {
        string directory = Path.Combine(Path.GetTempPath(), "coffer-docker-config");
        var locator = new DockerConfigLocator(Environment(("DOCKER_CONFIG", directory)), Home);

        Assert.Equal(Path.Combine(directory, "config.json"), locator.Resolve());
        Assert.Equal(Path.Combine(directory, "config.json"), locator.Resolve(null));
        Assert.Equal(Path.Combine(directory, "config.json"), locator.Resolve(" "));
    }

    [Fact]
    public void Resolve_FallsBackToHomeWhenDockerConfigIsUnsetOrEmpty()
    {
        string expected = Path.Combine(Home, ".docker", "config.json");

        Assert.Equal(expected, new DockerConfigLocator(Environment(), Home).Resolve());
        Assert.Equal(expected, new DockerConfigLocator(Environment(("DOCKER_CONFIG", "")), Home).Resolve());
    }

    [Fact]
    public void Resolve_WithoutHomeOrVariable_ExplainsWhatToSet()
    {
        var locator = new DockerConfigLocator(Environment(), "");

        var error = Assert.Throws<CredentialStoreException>(() => locator.Resolve());

        Assert.Contains("DOCKER_CONFIG", error.Message, StringComparison.Ordinal);
        Assert.Contains("--registry-config", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_OnlyAsksForDockerConfig()
    {
        var asked = new List<string>();
        var locator = new DockerConfigLocator(name => { asked.Add(name); return null; }, Home);

        locator.Resolve();

        Assert.Equal(["DOCKER_CONFIG"], asked);
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
