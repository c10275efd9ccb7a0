using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>An in-toto v1 statement, the payload of a DSSE attestation.</summary>
public sealed class InTotoStatement
{
    /// <summary>The statement type of in-toto v1.</summary>
    public const string StatementTypeV1 = "https://in-toto.io/Statement/v1";

    /// <summary>The statement type, such as <see cref="StatementTypeV1"/>.</summary>
    [JsonPropertyName("_type")]
    public string? Type { get; set; }

    /// <summary>The artifacts the statement is about.</summary>
    [JsonPropertyName("subject")]
    public List<InTotoSubject>? Subject { get; set; }

    /// <summary>The predicate type URI.</summary>
    [JsonPropertyName("predicateType")]
    public string? PredicateType { get; set; }

    /// <summary>The predicate, kept as raw JSON.</summary>
    [JsonPropertyName("predicate")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Predicate { get; set; }
}
