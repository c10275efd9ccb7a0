using System.Formats.Tar;
using System.IO.Compression;
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

    /// <summary>
    /// Adds a directory layer as ORAS shapes it: the gzip of <paramref name="tar"/>, titled
    /// <paramref name="title"/>, with the unpack annotation and the tar's digest (or a lie).
    /// </summary>
    public static void AddDirectory(FakeRegistry registry, string repository, string tag, string title, byte[] tar,
        string? claimedTarDigest = null)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(tar);
        }

        var layer = compressed.ToArray();
        registry.AddBlob(repository, "{}"u8.ToArray());
        registry.AddBlob(repository, layer);
        var manifest = Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
            "\"artifactType\":\"application/vnd.example\"," +
            "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\"," +
            $"\"digest\":\"{Digest("{}"u8.ToArray())}\",\"size\":2}}," +
            "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\"," +
            $"\"digest\":\"{Digest(layer)}\",\"size\":{layer.Length},\"annotations\":{{" +
            $"\"io.deis.oras.content.digest\":\"{claimedTarDigest ?? Digest(tar)}\"," +
            "\"io.deis.oras.content.unpack\":\"true\"," +
            $"\"org.opencontainers.image.title\":\"{title}\"}}}}]}}");
        registry.AddManifest(repository, manifest, "application/vnd.oci.image.manifest.v1+json", tag);
    }

    /// <summary>Writes a tar of hand-made entries, which may name anything.</summary>
    public static byte[] Tar(params (TarEntryType Type, string Name, string? Link, byte[]? Data)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (type, name, link, data) in entries)
            {
                var entry = new PaxTarEntry(type, name);
                if (link is not null)
                {
                    entry.LinkName = link;
                }

                if (data is not null)
                {
                    entry.DataStream = new MemoryStream(data);
                }

                writer.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }
}
