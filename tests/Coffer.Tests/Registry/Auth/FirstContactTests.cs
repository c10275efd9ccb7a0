using System.Collections.Concurrent;
using Coffer.Testing;
using Coffer.Tests.Cli;

namespace Coffer.Tests.Registry.Auth;

/// <summary>
/// How the first requests of a push go out: one at a time while a credential may have to answer a
/// challenge (so that parallel uploads do not each collect a 401), all at once when there is none.
/// </summary>
public sealed class FirstContactTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Push_WithoutACredential_StartsTheBlobUploadsTogether()
    {
        await using var registry = await FakeRegistry.StartAsync();
        var overlapped = HoldFirstUploadUntilAnother(registry);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "state"u8.ToArray());

        var push = await runner.RunAsync("push", "--plain-http", $"{registry.Host}/first/open:v1", "a.txt");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(await overlapped.Task, "the second upload waited for the answer to the first");
    }

    [Fact]
    public async Task Push_WithACredential_SendsOneRequestBeforeTheOthers()
    {
        await using var registry = await FakeRegistry.StartAsync(new FakeRegistryOptions
        {
            Username = "ci",
            Password = "first-contact-pw",
        });
        var overlapped = HoldFirstUploadUntilAnother(registry);
        using var runner = new CofferRunner();
        runner.WriteFile("a.txt", "state"u8.ToArray());

        var push = await runner.PipeAsync("first-contact-pw", "push", "--plain-http", "-u", "ci",
            "--password-stdin", $"{registry.Host}/first/basic:v1", "a.txt");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.False(await overlapped.Task, "a second request went out before the challenge was answered");
        Assert.Single(registry.Requests, r => r.Authorization is null);
    }

    // Holds the first upload request until a second one arrives (or the patience runs out); the
    // result says whether one did.
    private static TaskCompletionSource<bool> HoldFirstUploadUntilAnother(FakeRegistry registry)
    {
        var overlapped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrivals = new ConcurrentQueue<string>();
        registry.Intercept = async context =>
        {
            if (context.Request.Method != "POST" || !context.Request.Path.Value!.EndsWith("/blobs/uploads/",
                StringComparison.Ordinal))
            {
                return false;
            }

            arrivals.Enqueue(context.Request.QueryString.Value ?? "");
            if (arrivals.Count == 1)
            {
                var second = await Task.WhenAny(overlapped.Task, Task.Delay(Patience));
                overlapped.TrySetResult(second == overlapped.Task);
            }
            else
            {
                overlapped.TrySetResult(true);
            }

            return false;
        };
        return overlapped;
    }
}
