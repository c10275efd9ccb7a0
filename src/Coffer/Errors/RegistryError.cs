using System.Text.Json.Serialization;

namespace Coffer.Errors;

/// <summary>One entry of a registry's error body, <c>{"errors":[{"code","message","detail"}]}</c>.</summary>
public sealed class RegistryError
{
    /// <summary>The error code, such as <c>MANIFEST_UNKNOWN</c>.</summary>
    [JsonPropertyName("code")]
    public string? Code { get; set; }

    /// <summary>The registry's message.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary>The detail, rendered as compact JSON text.</summary>
    [JsonIgnore]
    public string? Detail { get; set; }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = Code ?? "UNKNOWN";
        if (!string.IsNullOrEmpty(Message))
        {
            text += ": " + Message;
        }

        if (!string.IsNullOrEmpty(Detail) && Detail is not ("null" or "{}" or "[]"))
        {
            text += $" ({Detail})";
        }

        return text;
    }
}
