using System.Text.Json.Serialization;

namespace Coffer.Targets;

/// <summary>The <c>oci-layout</c> file at the top of an OCI image layout.</summary>
internal sealed class LayoutMarker
{
    /// <summary>The version this layout follows; Coffer writes and reads <c>1.0.0</c>.</summary>
    [JsonPropertyName("imageLayoutVersion")]
    public string? ImageLayoutVersion { get; set; }
}
