using System.Buffers;
using System.Text.Json;

namespace Coffer.Signing.Keys;

/// <summary>
/// The JSON document inside a cosign private key PEM (go-securesystemslib "encrypted" format,
/// spec-notes §5): <c>{"kdf":{"name":"scrypt","params":{"N","r","p"},"salt"},
/// "cipher":{"name":"nacl/secretbox","nonce"},"ciphertext"}</c>, byte strings in base64.
/// </summary>
internal sealed class EncryptedKeyEnvelope
{
    /// <summary>The only key derivation accepted.</summary>
    public const string KdfName = "scrypt";

    /// <summary>The only cipher accepted.</summary>
    public const string CipherName = "nacl/secretbox";

    private const int MaxSaltSize = 1024;

    private const string SupportedText =
        "Coffer, like cosign, accepts scrypt with N=32768, 65536 or 131072, r=8, p=1 and "
        + "nacl/secretbox. Re-encrypt the key with cosign, or make a new key pair.";

    public required ScryptParameters Scrypt { get; init; }

    public required byte[] Salt { get; init; }

    public required byte[] Nonce { get; init; }

    public required byte[] Ciphertext { get; init; }

    /// <summary>
    /// Parses and checks the envelope. The names and the scrypt settings are checked here, so a
    /// caller that parses first never derives a key from settings Coffer refuses.
    /// </summary>
    /// <exception cref="KeyFileException">Malformed, or unsupported settings.</exception>
    public static EncryptedKeyEnvelope Parse(ReadOnlyMemory<byte> json, string source)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(
                json, new JsonDocumentOptions { MaxDepth = 8, AllowDuplicateProperties = false });
            JsonElement root = document.RootElement;

            // Step 1: the names, before anything else is looked at.
            JsonElement kdf = Member(root, "kdf", JsonValueKind.Object, source);
            JsonElement cipher = Member(root, "cipher", JsonValueKind.Object, source);
            string kdfName = Member(kdf, "name", JsonValueKind.String, source).GetString()!;
            string cipherName = Member(cipher, "name", JsonValueKind.String, source).GetString()!;
            if (!string.Equals(kdfName, KdfName, StringComparison.Ordinal)
                || !string.Equals(cipherName, CipherName, StringComparison.Ordinal))
            {
                throw new KeyFileException(
                    KeyFileProblem.UnsupportedEncryption,
                    $"{KeyPem.Capitalize(source)} is encrypted with kdf '{kdfName}' and cipher "
                    + $"'{cipherName}', which Coffer does not accept.",
                    SupportedText);
            }

            // Step 2: the scrypt settings, refused before any derivation (DoS guard, §5).
            JsonElement parameters = Member(kdf, "params", JsonValueKind.Object, source);
            var scrypt = new ScryptParameters(
                Integer(parameters, "N", source),
                Integer(parameters, "r", source),
                Integer(parameters, "p", source));
            if (!scrypt.IsAccepted)
            {
                throw new KeyFileException(
                    KeyFileProblem.UnsupportedEncryption,
                    $"{KeyPem.Capitalize(source)} uses scrypt {scrypt}, which Coffer does not accept.",
                    SupportedText);
            }

            // Step 3: the byte strings.
            byte[] salt = Bytes(kdf, "salt", source);
            byte[] nonce = Bytes(cipher, "nonce", source);
            byte[] ciphertext = Bytes(root, "ciphertext", source);
            if (salt.Length is 0 or > MaxSaltSize)
            {
                throw Malformed(source, $"its salt is {salt.Length} bytes long");
            }

            if (nonce.Length != SecretBox.NonceSize)
            {
                throw Malformed(source, $"its nonce is {nonce.Length} bytes long, not {SecretBox.NonceSize}");
            }

            if (ciphertext.Length < SecretBox.TagSize)
            {
                throw Malformed(source, "its ciphertext is shorter than the authentication tag");
            }

            return new EncryptedKeyEnvelope { Scrypt = scrypt, Salt = salt, Nonce = nonce, Ciphertext = ciphertext };
        }
        catch (JsonException)
        {
            throw Malformed(source, "its PEM body is not a JSON document");
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate, escaped ("\ud800") or encoded as UTF-8, passes the JSON reader but
            // no string holds it.
            throw Malformed(source, "its PEM body holds text that is not valid Unicode");
        }
    }

    /// <summary>Writes the envelope as compact JSON, in the member order cosign writes.</summary>
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();

            writer.WriteStartObject("kdf");
            writer.WriteString("name", KdfName);
            writer.WriteStartObject("params");
            writer.WriteNumber("N", Scrypt.Cost);
            writer.WriteNumber("r", Scrypt.BlockSize);
            writer.WriteNumber("p", Scrypt.Parallelism);
            writer.WriteEndObject();
            writer.WriteBase64String("salt", Salt);
            writer.WriteEndObject();

            writer.WriteStartObject("cipher");
            writer.WriteString("name", CipherName);
            writer.WriteBase64String("nonce", Nonce);
            writer.WriteEndObject();

            writer.WriteBase64String("ciphertext", Ciphertext);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static JsonElement Member(JsonElement parent, string name, JsonValueKind kind, string source)
    {
        if (parent.ValueKind != JsonValueKind.Object
            || !parent.TryGetProperty(name, out JsonElement value)
            || value.ValueKind != kind)
        {
            throw Malformed(source, $"its JSON has no {kind.ToString().ToUpperInvariant()} member '{name}'");
        }

        return value;
    }

    private static long Integer(JsonElement parent, string name, string source)
    {
        JsonElement value = Member(parent, name, JsonValueKind.Number, source);
        if (!value.TryGetInt64(out long number))
        {
            throw Malformed(source, $"its scrypt parameter '{name}' is not a whole number");
        }

        return number;
    }

    private static byte[] Bytes(JsonElement parent, string name, string source)
    {
        JsonElement value = Member(parent, name, JsonValueKind.String, source);
        if (!value.TryGetBytesFromBase64(out byte[]? bytes))
        {
            throw Malformed(source, $"its '{name}' is not valid base64");
        }

        return bytes;
    }

    private static KeyFileException Malformed(string source, string what) => new(
        KeyFileProblem.Malformed,
        $"{KeyPem.Capitalize(source)} is damaged: {what}.",
        "Use the .key file exactly as cosign generate-key-pair wrote it.");
}
