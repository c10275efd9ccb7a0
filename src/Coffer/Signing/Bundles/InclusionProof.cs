using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>An RFC 6962 audit path from an entry to a signed tree head.</summary>
public sealed class InclusionProof
{
    /// <summary>The position of the entry in the tree (shard) the proof is for.</summary>
    [JsonPropertyName("logIndex")]
    [JsonConverter(typeof(Int64StringConverter))]
    public long LogIndex { get; set; }

    /// <summary>The root hash of the tree at <see cref="TreeSize"/>.</summary>
    [JsonPropertyName("rootHash")]
    public byte[]? RootHash { get; set; }

    /// <summary>The number of leaves of the tree.</summary>
    [JsonPropertyName("treeSize")]
    [JsonConverter(typeof(Int64StringConverter))]
    public long TreeSize { get; set; }

    /// <summary>The sibling hashes, from the leaf up to the root.</summary>
    [JsonPropertyName("hashes")]
    public List<byte[]>? Hashes { get; set; }

    /// <summary>The signed tree head the root hash must match.</summary>
    [JsonPropertyName("checkpoint")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Checkpoint? Checkpoint { get; set; }
}
