using System.Security.Cryptography;
using System.Text;
using Coffer.Testing;

namespace Coffer.Tests.Faults;

/// <summary>Puts a hand-made artifact into a fake registry, so a test can lie in any field it likes.</summary>
internal static class FakeArtifact
{
    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Adds the blobs and a manifest whose layers have the given titles and claimed sizes.</summary>
    public static void Add(FakeRegistry registry, string repository, string tag,
        params (string Title, byte[] Content, long? ClaimedSize)[] layers)
    {
        registry.AddBlob(repository, "{}"u8.ToArray());
        var entries = new List<string>();
        foreach (var (title, content, claimed) in layers)
        {
            registry.AddBlob(repository, content);
            entries.Add(
                "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\"," +
                $"\"digest\":\"{Digest(content)}\",\"size\":{claimed ?? content.Length}," +
                $"\"annotations\":{{\"org.opencontainers.image.title\":\"{title}\"}}}}");
        }

        var manifest = Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
            "\"artifactType\":\"application/vnd.example\"," +
            "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\"," +
            $"\"digest\":\"{Digest("{}"u8.ToArray())}\",\"size\":2}},\"layers\":[{string.Join(',', entries)}]}}");
        registry.AddManifest(repository, manifest, "application/vnd.oci.image.manifest.v1+json", tag);
    }
}
