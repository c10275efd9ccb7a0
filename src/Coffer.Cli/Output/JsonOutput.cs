using System.Text.Encodings.Web;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json;
using System.Text;
using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>
/// Writes the JSON that commands print. A <c>--format json</c> document is one of the
/// <c>*Document</c> types beside this one: <c>schemaVersion</c> comes first, lists are always
/// present (empty as <c>[]</c>), and a field that has no value is left out rather than written as
/// null. Every type is serialized through source-generated metadata, so nothing needs reflection.
/// </summary>
/// <remarks>
/// A document for a new command is one new file here: a class with <c>SchemaVersion</c> first, its fields
/// (shared parts such as <see cref="DescriptorJson"/> may be reused), a factory from the command's result,
/// and a <c>WriteTo</c> that prints it through a private nested <c>JsonSerializerContext</c>. The context
/// needs a name of its own (<c>&lt;Document&gt;Context</c>): the generator names its files after it.
/// </remarks>
internal static class JsonOutput
{
    /// <summary>
    /// The version of every document's shape. It goes up when a field is renamed, removed or changes
    /// type; a new field does not change it.
    /// </summary>
    public const int SchemaVersion = 1;

    /// <summary>Writes one document, indented, and the line break after it.</summary>
    public static void Print<T>(TextWriter output, T document, JsonTypeInfo<T> typeInfo) =>
        output.WriteLine(Serialize(document, typeInfo, indented: true));

    /// <summary>The value as JSON text, without a trailing line break.</summary>
    public static string Serialize<T>(T value, JsonTypeInfo<T> typeInfo, bool indented)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options(indented)))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// A bare OCI descriptor, as <c>--descriptor</c> prints it: no <c>schemaVersion</c>, so it can
    /// be pasted into a manifest. Annotations appear only when there are some.
    /// </summary>
    public static string BareDescriptor(Descriptor descriptor, bool indented) =>
        OciDescriptorJson.From(descriptor).ToJson(indented);

    /// <summary>
    /// Content as a JSON value for a document: the JSON itself when it parses, else its bytes in base64.
    /// </summary>
    public static JsonElement Content(byte[] content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Base64 has no character that needs escaping inside a JSON string.
            using var document = JsonDocument.Parse($"\"{Convert.ToBase64String(content)}\"");
            return document.RootElement.Clone();
        }
    }

    /// <summary>
    /// The top-level <c>annotations</c> of a manifest or index, or an empty map when it has none (or is not
    /// JSON). Values that are not strings are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Annotations(byte[] manifest)
    {
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(manifest);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("annotations", out var found)
                && found.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in found.EnumerateObject().Where(e => e.Value.ValueKind == JsonValueKind.String))
                {
                    annotations[entry.Name] = entry.Value.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
        }

        return annotations;
    }

    /// <summary>The JSON re-written with indentation, or the bytes unchanged when they are not JSON.</summary>
    public static byte[] Pretty(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, Options(indented: true)))
            {
                document.WriteTo(writer);
            }

            buffer.WriteByte((byte)'\n');
            return buffer.ToArray();
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static JsonWriterOptions Options(bool indented) => new()
    {
        Indented = indented,

        // Media types hold '+'; the default encoder would write it as \u002B.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
