using Coffer.Diagnostics;
using Coffer.Signing.Keyless;
using Coffer.Signing.Keys;
using Coffer.Signing.Services;
using Coffer.Signing.Signers;
using Coffer.Signing.Trust;
using Coffer.Testing.Sigstore.Servers;

namespace Coffer.Tests.Signing.Keyless;

/// <summary>One private Sigstore per test class, and helpers to build signers against it.</summary>
public sealed class SigstoreStackFixture : IAsyncLifetime
{
    public TestSigstoreStack Stack { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    public SigningServices Services => SigningConfig.ReadFile(Stack.SigningConfigPath)
        .Resolve(null, DateTimeOffset.UtcNow);

    public async Task InitializeAsync()
    {
        Stack = await TestSigstoreStack.StartAsync();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }
    }

    /// <summary>A keyless signer whose token comes from the given environment.</summary>
    public BundleSigner Keyless(
        IReadOnlyDictionary<string, string> environment,
        List<string>? logLines = null,
        string? explicitToken = null,
        SigningServices? services = null,
        TrustedRoot? verifyWith = null)
    {
        var log = new DebugLog(new Redactor(), logLines is null ? null : logLines.Add);
        return new BundleSigner(new BundleSignerOptions
        {
            Services = services ?? Services,
            IdentityTokens = new IdentityTokenSource(explicitToken, Lookup(environment), Http, log),
            HttpClient = Http,
            Log = log,
            VerifyWith = verifyWith,
        });
    }

    /// <summary>A signer with a self-managed key.</summary>
    public BundleSigner WithKey(
        EcdsaSigner key,
        bool upload = true,
        SigningServices? services = null,
        TrustedRoot? verifyWith = null) =>
        new(new BundleSignerOptions
        {
            Services = services ?? Services,
            Key = key,
            UploadToTransparencyLog = upload,
            HttpClient = Http,
            VerifyWith = verifyWith,
        });

    public static Func<string, string?> Lookup(IReadOnlyDictionary<string, string> environment) =>
        name => environment.TryGetValue(name, out var value) ? value : null;
}
