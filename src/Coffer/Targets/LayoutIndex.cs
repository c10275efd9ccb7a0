using System.Text.Json;
using System.Text.Json.Nodes;
using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Targets;

/// <summary>
/// A layout's <c>index.json</c>: the manifests it holds, each tagged by an
/// <c>org.opencontainers.image.ref.name</c> annotation or untagged. It is edited as a JSON tree, so
/// fields Coffer does not model (platform details, index annotations) are kept as they were.
/// </summary>
internal sealed class LayoutIndex
{
    /// <summary>The annotation that names an entry's tag (image-spec, "Pre-Defined Annotation Keys").</summary>
    public const string RefName = "org.opencontainers.image.ref.name";

    private readonly JsonObject _root;
    private readonly JsonArray _manifests;
    private readonly List<(JsonNode Node, Descriptor Entry)> _entries;

    private LayoutIndex(JsonObject root, JsonArray manifests, List<(JsonNode, Descriptor)> entries)
    {
        _root = root;
        _manifests = manifests;
        _entries = entries;
    }

    /// <summary>The entries whose digest parses, in file order.</summary>
    public IEnumerable<Descriptor> Entries =>
        _entries.Select(e => e.Entry).Where(e => Digest.TryParse(e.Digest, out _, out _));

    /// <summary>The distinct tags, sorted.</summary>
    public IEnumerable<string> Tags => Entries.Select(TagOf).OfType<string>().Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal);

    /// <summary>The bytes of an index with no manifests.</summary>
    public static byte[] EmptyBytes() =>
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}"u8
            .ToArray();

    /// <summary>Parses <c>index.json</c>.</summary>
    /// <exception cref="CofferException">
    /// It is not a JSON object with a <c>manifests</c> array of descriptors, or its
    /// <c>schemaVersion</c> is not 2.
    /// </exception>
    public static LayoutIndex Parse(byte[] content, string operation)
    {
        try
        {
            if (JsonNode.Parse(content) is not JsonObject root)
            {
                throw Damaged(operation, "it is not a JSON object");
            }

            // image-spec, "Image Index Property Descriptions": schemaVersion MUST be 2. A layout
            // without the field is still read, as other readers do.
            if (root["schemaVersion"] is { } version
                && (version.GetValueKind() != JsonValueKind.Number || version.ToJsonString() != "2"))
            {
                throw Damaged(operation, $"its schemaVersion is {version.ToJsonString()}; it must be 2");
            }

            if (root["manifests"] is not JsonArray manifests)
            {
                if (root.ContainsKey("manifests"))
                {
                    throw Damaged(operation, "its manifests field is not a list");
                }

                root["manifests"] = manifests = [];
            }

            var entries = new List<(JsonNode, Descriptor)>();
            foreach (var node in manifests)
            {
                var entry = node is JsonObject ? node.Deserialize(ContentJsonContext.Default.Descriptor) : null;
                entries.Add((node!, entry ?? throw Damaged(operation, "an entry is not a descriptor")));
            }

            // Unknown fields are kept and written back on the next change; writing them once
            // now finds text that cannot be written (a lone surrogate escape) while it is still
            // a parse error, not a failure halfway through tagging.
            _ = root.ToJsonString();
            return new LayoutIndex(root, manifests, entries);
        }
        catch (JsonException e)
        {
            throw Damaged(operation, $"it is not valid JSON: {e.Message}");
        }
        catch (ArgumentException e)
        {
            // JsonObject refuses a name it already holds when it first fills in its fields.
            throw Damaged(operation, $"an object names the same field twice: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // JsonNode reads names and strings lazily: invalid UTF-8 or a lone surrogate escape
            // surfaces only when the object is first looked into.
            throw Damaged(operation, $"it holds text that is not valid UTF-8: {e.Message}");
        }
    }

    /// <summary>The tag of an entry, or null when it is untagged.</summary>
    public static string? TagOf(Descriptor entry) => entry.Annotations?.GetValueOrDefault(RefName);

    /// <summary>
    /// The last entry tagged <paramref name="tag"/>, or null. Entries whose digest does not parse
    /// count too, so that a damaged entry is reported as such rather than as a missing tag.
    /// </summary>
    public Descriptor? FindTag(string tag) => _entries.Select(e => e.Entry).LastOrDefault(e => TagOf(e) == tag);

    /// <summary>An entry of this digest, tagged or not, or null.</summary>
    public Descriptor? FindDigest(Digest digest) =>
        Entries.FirstOrDefault(e => e.Digest == digest.ToString());

    /// <summary>
    /// Points <paramref name="tag"/> at a manifest: entries with that tag are replaced, and an
    /// untagged entry of the same manifest is no longer needed.
    /// </summary>
    public void Tag(Descriptor manifest, string tag)
    {
        RemoveWhere(e => TagOf(e) == tag || (TagOf(e) is null && e.Digest == manifest.Digest));
        Add(new Descriptor
        {
            MediaType = manifest.MediaType,
            Digest = manifest.Digest,
            Size = manifest.Size,
            Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [RefName] = tag },
        });
    }

    /// <summary>Lists a manifest without a tag, unless an entry of it exists.</summary>
    public bool AddUntagged(Descriptor manifest)
    {
        if (_entries.Any(e => e.Entry.Digest == manifest.Digest))
        {
            return false;
        }

        Add(new Descriptor { MediaType = manifest.MediaType, Digest = manifest.Digest, Size = manifest.Size });
        return true;
    }

    /// <summary>Removes the untagged entries of these manifests; returns how many there were.</summary>
    public int RemoveUntagged(IReadOnlySet<Digest> digests) =>
        RemoveWhere(e => TagOf(e) is null && Digest.TryParse(e.Digest, out var digest, out _)
            && digests.Contains(digest));

    /// <summary>Removes every entry of a manifest; returns how many there were.</summary>
    public int Remove(Digest digest) => RemoveWhere(e => e.Digest == digest.ToString());

    /// <summary>The index as JSON.</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            // Media types hold '+'; keep them readable for the people and tools that open the file.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            _root.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    private void Add(Descriptor entry)
    {
        var node = JsonSerializer.SerializeToNode(entry, ContentJsonContext.Default.Descriptor)!;
        _manifests.Add(node);
        _entries.Add((node, entry));
    }

    private int RemoveWhere(Func<Descriptor, bool> match)
    {
        var removed = 0;
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (match(_entries[i].Entry))
            {
                _manifests.Remove(_entries[i].Node);
                _entries.RemoveAt(i);
                removed++;
            }
        }

        return removed;
    }

    private static CofferException Damaged(string operation, string what) => new(
        $"{operation}: the layout's index.json is damaged: {what}",
        "restore index.json from a copy, or copy the artifacts into a new layout");
}
