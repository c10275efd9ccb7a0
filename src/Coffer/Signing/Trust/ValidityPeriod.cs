using System.Text.Json.Serialization;

namespace Coffer.Signing.Trust;

/// <summary>
/// The closed interval [start, end] in which a key or CA may be used (spec-notes §2). A missing end
/// means "still valid"; a missing start makes the trusted root malformed.
/// </summary>
public sealed class ValidityPeriod
{
    /// <summary>The first instant of validity.</summary>
    [JsonPropertyName("start")]
    public DateTimeOffset? Start { get; set; }

    /// <summary>The last instant of validity, or null while valid.</summary>
    [JsonPropertyName("end")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? End { get; set; }

    /// <summary>Whether <paramref name="time"/> lies in the closed interval.</summary>
    public bool Contains(DateTimeOffset time) =>
        Start is { } start && time >= start && (End is not { } end || time <= end);
}
