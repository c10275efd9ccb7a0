using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Coffer.Testing.Sigstore.Internal;

/// <summary>Small helpers to write JSON bodies with <see cref="Utf8JsonWriter"/>.</summary>
internal static class Json
{
    public static byte[] Object(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    public static async Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body);
    }

    public static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        WriteAsync(context, status, Object(writer =>
        {
            writer.WriteNumber("code", status);
            writer.WriteString("message", message);
        }));

    public static async Task<JsonDocument?> TryReadAsync(HttpRequest request)
    {
        try
        {
            return await JsonDocument.ParseAsync(request.Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
