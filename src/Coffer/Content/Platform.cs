using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Coffer.Content;

/// <summary>
/// The platform of an index entry, or the platform an image config states (its top-level
/// <c>architecture</c>, <c>os</c>, <c>os.version</c>, <c>os.features</c> and <c>variant</c>).
/// </summary>
public sealed class Platform
{
    /// <summary>The CPU architecture (<c>amd64</c>).</summary>
    [JsonPropertyName("architecture")]
    public string Architecture { get; set; } = "";

    /// <summary>The operating system (<c>linux</c>).</summary>
    [JsonPropertyName("os")]
    public string Os { get; set; } = "";

    /// <summary>The operating system version (<c>10.0.17763.1040</c> on Windows).</summary>
    [JsonPropertyName("os.version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OsVersion { get; set; }

    /// <summary>Features the operating system must have.</summary>
    [JsonPropertyName("os.features")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? OsFeatures { get; set; }

    /// <summary>The CPU variant (<c>v8</c>).</summary>
    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; set; }

    /// <summary>Parses <c>os/arch[/variant][:os_version]</c>, as <c>--platform</c> takes it.</summary>
    /// <exception cref="FormatException">The text is not of that form; the message says why.</exception>
    public static Platform Parse(string text) =>
        TryParse(text, out var platform, out var error) ? platform : throw new FormatException(error);

    /// <summary>Parses <c>os/arch[/variant][:os_version]</c>, reporting what is wrong with it.</summary>
    public static bool TryParse(
        string? text, [NotNullWhen(true)] out Platform? platform, [NotNullWhen(false)] out string? error)
    {
        platform = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the platform is empty; write it as os/arch[/variant][:os_version], e.g. linux/amd64";
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var version = colon < 0 ? null : text[(colon + 1)..];
        var parts = (colon < 0 ? text : text[..colon]).Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0 || p.Any(char.IsWhiteSpace))
            || version is { Length: 0 })
        {
            error = $"platform '{text}' is not of the form os/arch[/variant][:os_version], e.g. linux/arm64/v8";
            return false;
        }

        platform = new Platform
        {
            Os = parts[0],
            Architecture = parts[1],
            Variant = parts.Length == 3 ? parts[2] : null,
            OsVersion = version,
        };
        error = null;
        return true;
    }

    /// <summary><c>os/arch[/variant][:os_version]</c>, the form <see cref="Parse"/> reads.</summary>
    public override string ToString()
    {
        var text = $"{Os}/{Architecture}";
        if (!string.IsNullOrEmpty(Variant))
        {
            text += "/" + Variant;
        }

        return string.IsNullOrEmpty(OsVersion) ? text : text + ":" + OsVersion;
    }
}
