using System.Text;
using System.Text.Json;
using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>
/// Writes the JSON documents commands print with <c>--format json</c>: each has a
/// <c>schemaVersion</c>, and lists are always present, empty as <c>[]</c>.
/// </summary>
internal static class JsonOutput
{
    public const int SchemaVersion = 1;

    public static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,

            // Media types hold '+'; the default encoder would write it as \u002B.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", SchemaVersion);
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Descriptor(Utf8JsonWriter writer, Descriptor descriptor)
    {
        writer.WriteString("mediaType", descriptor.MediaType);
        writer.WriteString("digest", descriptor.Digest);
        writer.WriteNumber("size", descriptor.Size);
        if (descriptor.ArtifactType is not null)
        {
            writer.WriteString("artifactType", descriptor.ArtifactType);
        }

        writer.WriteStartObject("annotations");
        foreach (var (key, value) in descriptor.Annotations ?? [])
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// A bare OCI descriptor, as <c>--descriptor</c> prints it: no <c>schemaVersion</c>, so it can
    /// be pasted into a manifest. Annotations appear only when there are some.
    /// </summary>
    public static string BareDescriptor(Descriptor descriptor, bool indented)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options(indented)))
        {
            writer.WriteStartObject();
            writer.WriteString("mediaType", descriptor.MediaType);
            writer.WriteString("digest", descriptor.Digest);
            writer.WriteNumber("size", descriptor.Size);
            if (descriptor.ArtifactType is not null)
            {
                writer.WriteString("artifactType", descriptor.ArtifactType);
            }

            if (descriptor.Annotations is { Count: > 0 } annotations)
            {
                writer.WriteStartObject("annotations");
                foreach (var (key, value) in annotations)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
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
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
