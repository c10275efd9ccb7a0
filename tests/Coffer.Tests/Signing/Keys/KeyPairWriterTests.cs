using System.Runtime.Versioning;
using Coffer.Errors;
using Coffer.Signing.Keys;
using Coffer.Tests.Credentials;

namespace Coffer.Tests.Signing.Keys;

// Unix-mode checks run only under [UnixFact]; the attribute tells the platform analyzer so.
[UnsupportedOSPlatform("windows")]
public sealed class KeyPairWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Prefix => _temp.Combine("cosign");

    public void Dispose() => _temp.Dispose();

    [UnixFact]
    public async Task WriteAsync_WritesOwnerOnlyKeyAndLoadablePair()
    {
        KeyPairFiles files = await KeyPairWriter.WriteAsync(Prefix, "pw");

        using CosignPrivateKey key = await CosignPrivateKey.LoadFileAsync(files.PrivateKeyPath, "pw");
        PublicKeyFile publicKey = await PublicKeyFile.LoadFileAsync(files.PublicKeyPath);

        Assert.Equal(Prefix + ".key", files.PrivateKeyPath);
        Assert.Equal(Prefix + ".pub", files.PublicKeyPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.PrivateKeyPath));
        Assert.Equal(key.PublicKey.Hint, publicKey.Hint);
    }

    [Theory]
    [InlineData(".key")]
    [InlineData(".pub")]
    public async Task WriteAsync_OverExistingFile_RefusesAndKeepsIt(string extension)
    {
        string existing = Prefix + extension;
        await File.WriteAllTextAsync(existing, "old");

        var error = await Assert.ThrowsAsync<CofferException>(() => KeyPairWriter.WriteAsync(Prefix, "pw"));

        Assert.Contains(existing, error.Message, StringComparison.Ordinal);
        Assert.Equal("old", await File.ReadAllTextAsync(existing));
        Assert.Single(Directory.GetFiles(_temp.Path));
    }

    [UnixFact]
    public async Task WriteAsync_WithOverwrite_ReplacesAndTightensTheMode()
    {
        await File.WriteAllTextAsync(Prefix + ".key", "old");
        File.SetUnixFileMode(Prefix + ".key", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        await File.WriteAllTextAsync(Prefix + ".pub", "old");

        KeyPairFiles files = await KeyPairWriter.WriteAsync(Prefix, "pw", overwrite: true);

        using CosignPrivateKey key = await CosignPrivateKey.LoadFileAsync(files.PrivateKeyPath, "pw");
        PublicKeyFile publicKey = await PublicKeyFile.LoadFileAsync(files.PublicKeyPath);
        Assert.Equal(key.PublicKey.Hint, publicKey.Hint);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.PrivateKeyPath));
    }

    [Fact]
    public async Task WriteAsync_WithEmptyPrefix_IsUsageError()
    {
        await Assert.ThrowsAsync<UsageException>(() => KeyPairWriter.WriteAsync(" ", "pw"));
    }

    [Fact]
    public async Task WriteAsync_IntoMissingFolder_SaysWhichFile()
    {
        string prefix = _temp.Combine("no-such-folder", "cosign");

        var error = await Assert.ThrowsAsync<CofferException>(() => KeyPairWriter.WriteAsync(prefix, "pw"));

        Assert.Contains(prefix + ".key", error.Message, StringComparison.Ordinal);
    }
}
