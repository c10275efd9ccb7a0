using Coffer.Testing;

namespace Coffer.Tests.Output;

/// <summary>One no-auth registry for a test class; each test uses its own repositories in it.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public RegistryServer Registry { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Registry = await RegistryServer.StartAsync(RegistryMode.NoAuth);
    }

    public async Task DisposeAsync()
    {
        if (Registry is not null)
        {
            await Registry.DisposeAsync();
        }
    }
}
