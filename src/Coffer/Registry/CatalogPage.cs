using System.Text.Json.Serialization;

namespace Coffer.Registry;

/// <summary>One page of <c>GET /v2/_catalog</c>.</summary>
internal sealed class CatalogPage
{
    [JsonPropertyName("repositories")]
    public List<string>? Repositories { get; set; }
}
