using System.Text.Json;
using Coffer.Artifacts;
using Coffer.Targets;

namespace Coffer.Tests.Targets;

/// <summary>A temporary folder for layout tests, with helpers to push files into a layout and read it.</summary>
internal sealed class LayoutFolder : IDisposable
{
    public LayoutFolder()
    {
        Root = Directory.CreateTempSubdirectory("coffer-layout-").FullName;
        Work = Directory.CreateDirectory(Path.Combine(Root, "work")).FullName;
        Layout = Path.Combine(Root, "layout");
    }

    public string Root { get; }

    /// <summary>Where pushed files live.</summary>
    public string Work { get; }

    /// <summary>The layout folder (missing until the first write).</summary>
    public string Layout { get; }

    public string BlobPath(string digest) =>
        Path.Combine(Layout, "blobs", digest.Split(':')[0], digest.Split(':')[1]);

    /// <summary>Pushes one file (written under <see cref="Work"/>) into the layout with the tags.</summary>
    public async Task<PushResult> PushAsync(string name, byte[] content, params string[] tags)
    {
        File.WriteAllBytes(Path.Combine(Work, name), content);
        using var layout = OciLayout.Open(Layout, writable: true);
        return await new ArtifactPusher(layout).PushAsync(
            new PushRequest { Files = [new FileReference(name, null)], WorkingDirectory = Work }, tags);
    }

    /// <summary>The entries of index.json as (tag or null, digest).</summary>
    public List<(string? Tag, string Digest)> IndexEntries()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Layout, "index.json")));
        return [.. document.RootElement.GetProperty("manifests").EnumerateArray().Select(e => (
            e.TryGetProperty("annotations", out var a) && a.TryGetProperty(LayoutRefName, out var t)
                ? t.GetString() : null,
            e.GetProperty("digest").GetString()!))];
    }

    public const string LayoutRefName = "org.opencontainers.image.ref.name";

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
