namespace Coffer.Tests.Credentials;

/// <summary>A fresh directory under the system temp folder, deleted when disposed.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("coffer-creds-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A helper killed mid-run may still hold a file for a moment; the OS cleans temp.
        }
    }
}
