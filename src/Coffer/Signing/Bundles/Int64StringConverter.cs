using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>
/// The proto3 JSON mapping of <c>int64</c>: written as a decimal string, read from a string or a
/// number.
/// </summary>
public sealed class Int64StringConverter : JsonConverter<long>
{
    /// <inheritdoc />
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt64(out var number))
            {
                return number;
            }

            throw new JsonException("an int64 value is not a whole number in range");
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"an int64 value must be a string or a number, not {reader.TokenType}");
        }

        // proto3 JSON: "int64 ... JSON value will be a decimal string. Either numbers or strings are
        // accepted." Only plain decimal digits with an optional sign are accepted here.
        var span = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
        if (span.Length == 0 || span.Length > 20
            || !Utf8Parser.TryParse(span, out long value, out var consumed) || consumed != span.Length)
        {
            throw new JsonException("an int64 string is not a decimal integer");
        }

        return value;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }
}
