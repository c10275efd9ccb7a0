using System.Text.Json;
using Coffer.Testing;
using Coffer.Tests.Cli;
using Microsoft.AspNetCore.Http;

namespace Coffer.Tests.Faults;

/// <summary>
/// Next-page links of tag lists and the catalog: followed on the registry's own origin, refused
/// anywhere else (oras-go GHSA-h7vf-4x9w-h99v), and cut off when they never end.
/// </summary>
public sealed class PaginationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RepoTags_NextLinkToAnotherOrigin_IsRefusedAndTheOtherServerSeesNothing(bool catalog)
    {
        await using var other = await FakeRegistry.StartAsync();
        await using var registry = await FakeRegistry.StartAsync(
            new FakeRegistryOptions { Username = "me", Password = "pw-123456" });
        FakeArtifact.Add(registry, "page/art", "v1", ("a.txt", "a"u8.ToArray(), null));
        var elsewhere = new Uri(other.BaseUri, "/admin/next?last=v1");
        registry.Intercept = async context =>
        {
            var path = context.Request.Path.Value!;
            if (!path.EndsWith("/tags/list", StringComparison.Ordinal) && path != "/v2/_catalog")
            {
                return false;
            }

            context.Response.Headers.Link = $"<{elsewhere}>; rel=\"next\"";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(catalog ? "{\"repositories\":[\"page/art\"]}" : "{\"tags\":[\"v1\"]}");
            return true;
        };
        using var runner = new CofferRunner();
        string[] command = catalog ? ["repo", "ls", registry.Host] : ["repo", "tags", $"{registry.Host}/page/art"];

        var list = await runner.PipeAsync("pw-123456", [.. command, "--plain-http", "-u", "me", "--password-stdin"]);

        Assert.Equal(1, list.ExitCode);
        Assert.Contains($"another origin, http://{other.Host}", list.Stderr, StringComparison.Ordinal);
        Assert.Empty(other.Requests);
        Assert.Empty(list.Stdout);
    }

    [Fact]
    public async Task RepoTags_SameOriginChain_CollectsEveryPageInOrder()
    {
        await using var registry = await FakeRegistry.StartAsync();
        FakeArtifact.Add(registry, "chain/art", "v1", ("a.txt", "a"u8.ToArray(), null));
        var pages = new Dictionary<string, (string[] Tags, string? Next)>
        {
            [""] = (["a", "b"], "/v2/chain/art/tags/list?last=b"),
            ["b"] = (["c", "d"], new Uri(registry.BaseUri, "/v2/chain/art/tags/list?last=d").ToString()),
            ["d"] = (["e"], null),
        };
        registry.Intercept = async context =>
        {
            if (!context.Request.Path.Value!.EndsWith("/tags/list", StringComparison.Ordinal))
            {
                return false;
            }

            var (tags, next) = pages[context.Request.Query["last"].ToString()];
            if (next is not null)
            {
                context.Response.Headers.Link = $"<{next}>; rel=\"next\"";
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string[]>
            {
                ["tags"] = tags,
            }));
            return true;
        };
        using var runner = new CofferRunner();

        var list = await runner.RunAsync("repo", "tags", "--plain-http", $"{registry.Host}/chain/art");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal("a\nb\nc\nd\ne\n", list.Stdout);
        Assert.Equal(3, registry.Requests.Count(r => r.PathAndQuery.Contains("/tags/list", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RepoLs_RegistryOwnPagination_IsFollowedToTheEnd()
    {
        await using var registry = await FakeRegistry.StartAsync();
        foreach (var name in new[] { "r/a", "r/b", "r/c", "s/d" })
        {
            registry.AddBlob(name, "{}"u8.ToArray());
        }

        // The first request asks for no page size; the fake then pages one repository at a time.
        registry.Intercept = async context =>
        {
            if (context.Request.Path != "/v2/_catalog" || context.Request.Query.ContainsKey("n"))
            {
                return false;
            }

            context.Response.Headers.Link = "</v2/_catalog?n=1>; rel=\"next\"";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"repositories\":[]}");
            return true;
        };
        using var runner = new CofferRunner();

        var list = await runner.RunAsync("repo", "ls", "--plain-http", $"{registry.Host}/r");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal("a\nb\nc\n", list.Stdout);
    }

    [Fact]
    public async Task RepoTags_EndlessLinkLoop_StopsAtThePageCapWithAClearError()
    {
        await using var registry = await FakeRegistry.StartAsync();
        FakeArtifact.Add(registry, "loop/art", "v1", ("a.txt", "a"u8.ToArray(), null));
        registry.Intercept = async context =>
        {
            if (!context.Request.Path.Value!.EndsWith("/tags/list", StringComparison.Ordinal))
            {
                return false;
            }

            context.Response.Headers.Link = "</v2/loop/art/tags/list?last=v1>; rel=\"next\"";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"tags\":[\"v1\"]}");
            return true;
        };
        using var runner = new CofferRunner();

        var list = await runner.RunAsync("repo", "tags", "--plain-http", $"{registry.Host}/loop/art");

        Assert.Equal(1, list.ExitCode);
        Assert.Contains($"after {Coffer.Registry.RegistryLimits.MaxListPages} pages", list.Stderr,
            StringComparison.Ordinal);
        Assert.Contains("--last", list.Stderr, StringComparison.Ordinal);
        Assert.Equal(
            Coffer.Registry.RegistryLimits.MaxListPages,
            registry.Requests.Count(r => r.PathAndQuery.Contains("/tags/list", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("file:///etc/passwd", "file:")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "http://169.254.169.254")]
    public async Task RepoTags_NextLinkOffHttpOrToMetadata_IsRefused(string link, string named)
    {
        await using var registry = await FakeRegistry.StartAsync();
        FakeArtifact.Add(registry, "odd/art", "v1", ("a.txt", "a"u8.ToArray(), null));
        registry.Intercept = async context =>
        {
            if (!context.Request.Path.Value!.EndsWith("/tags/list", StringComparison.Ordinal))
            {
                return false;
            }

            context.Response.Headers.Link = $"<{link}>; rel=\"next\"";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"tags\":[\"v1\"]}");
            return true;
        };
        using var runner = new CofferRunner();

        var list = await runner.RunAsync("repo", "tags", "--plain-http", $"{registry.Host}/odd/art");

        Assert.Equal(1, list.ExitCode);
        Assert.Contains($"another origin, {named}", list.Stderr, StringComparison.Ordinal);
    }
}
