using Coffer.Errors;
using Coffer.Signing.Keys;

namespace Coffer.Tests.Signing.Keys;

public sealed class KeyPasswordTests
{
    private static Func<string, string?> Environment(string? password) =>
        name => name == KeyPassword.EnvironmentVariable ? password : null;

    [Fact]
    public void Resolve_PrefersTheVariable_EvenWhenEmpty()
    {
        var prompts = new List<string>();
        string? Prompt(string text)
        {
            prompts.Add(text);
            return "typed";
        }

        Assert.Equal("from-env", new KeyPassword(Environment("from-env"), Prompt).Resolve());
        Assert.Equal("", new KeyPassword(Environment(""), Prompt).Resolve());
        Assert.Empty(prompts);
    }

    [Fact]
    public void Resolve_WithoutVariable_Prompts()
    {
        string password = new KeyPassword(Environment(null), _ => "typed").Resolve();

        Assert.Equal("typed", password);
    }

    [Fact]
    public void Resolve_WithoutVariableOrTerminal_SaysToSetTheVariable()
    {
        var error = Assert.Throws<UsageException>(() => new KeyPassword(Environment(null), null).Resolve());

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("COSIGN_PASSWORD", error.Message, StringComparison.Ordinal);
        Assert.Contains("COSIGN_PASSWORD", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_WhenPromptGetsNoAnswer_IsUsageError()
    {
        var error = Assert.Throws<UsageException>(() => new KeyPassword(Environment(null), _ => null).Resolve());

        Assert.Contains("COSIGN_PASSWORD", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_AcceptsEmptyTypedPassword()
    {
        Assert.Equal("", new KeyPassword(Environment(null), _ => "").Resolve());
    }

    [Fact]
    public void ResolveForNewKey_AsksTwiceAndComparesWithoutEchoingSecrets()
    {
        var answers = new Queue<string>(["one-secret", "two-secret"]);

        var error = Assert.Throws<UsageException>(
            () => new KeyPassword(Environment(null), _ => answers.Dequeue()).ResolveForNewKey());

        Assert.Contains("differ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message + error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveForNewKey_WithMatchingAnswers_ReturnsThePassword()
    {
        var answers = new Queue<string>(["same", "same"]);

        Assert.Equal("same", new KeyPassword(Environment(null), _ => answers.Dequeue()).ResolveForNewKey());
        Assert.Equal("env", new KeyPassword(Environment("env"), null).ResolveForNewKey());
    }
}
