using System.Text.Json.Serialization;

namespace Coffer.Registry;

/// <summary>One page of <c>GET /v2/&lt;name&gt;/tags/list</c>.</summary>
internal sealed class TagList
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("tags")]
    public List<string>? Tags { get; set; }
}
