using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>One transparency-log entry with the evidence that it was logged.</summary>
public sealed class TransparencyLogEntry
{
    /// <summary>The global index of the entry in the log.</summary>
    [JsonPropertyName("logIndex")]
    [JsonConverter(typeof(Int64StringConverter))]
    public long LogIndex { get; set; }

    /// <summary>The log the entry is in.</summary>
    [JsonPropertyName("logId")]
    public LogId? LogId { get; set; }

    /// <summary>The entry kind and version.</summary>
    [JsonPropertyName("kindVersion")]
    public KindVersion? KindVersion { get; set; }

    /// <summary>Unix seconds when Rekor v1 integrated the entry; 0 (absent) on Rekor v2.</summary>
    [JsonPropertyName("integratedTime")]
    [JsonConverter(typeof(Int64StringConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long IntegratedTime { get; set; }

    /// <summary>The signed entry timestamp (Rekor v1 only).</summary>
    [JsonPropertyName("inclusionPromise")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public InclusionPromise? InclusionPromise { get; set; }

    /// <summary>The inclusion proof with its checkpoint.</summary>
    [JsonPropertyName("inclusionProof")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public InclusionProof? InclusionProof { get; set; }

    /// <summary>The entry body exactly as the log hashed it.</summary>
    [JsonPropertyName("canonicalizedBody")]
    public byte[]? CanonicalizedBody { get; set; }
}
