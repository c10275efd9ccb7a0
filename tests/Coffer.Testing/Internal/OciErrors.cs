using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Coffer.Testing.Internal;

/// <summary>Writes distribution-spec error bodies: <c>{"errors":[{"code","message","detail"}]}</c>.</summary>
internal static class OciErrors
{
    public static async Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("errors");
            writer.WriteStartObject();
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WriteNull("detail");
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = stream.Length;
        await context.Response.Body.WriteAsync(stream.ToArray());
    }
}
