using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Coffer.Signing.Keys;

/// <summary>
/// NaCl <c>crypto_secretbox</c>: XSalsa20 encryption with a Poly1305 tag. The first 32 bytes of
/// the key stream are the one-time Poly1305 key; the message is encrypted with the stream that
/// follows. A box is the 16-byte tag followed by the ciphertext.
/// </summary>
internal static class SecretBox
{
    /// <summary>The key length in bytes.</summary>
    public const int KeySize = 32;

    /// <summary>The nonce length in bytes.</summary>
    public const int NonceSize = 24;

    /// <summary>The tag length in bytes.</summary>
    public const int TagSize = 16;

    private const int MacKeySize = 32;

    /// <summary>Encrypts <paramref name="message"/> and returns tag ‖ ciphertext.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> message, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key)
    {
        XSalsa20Engine stream = CreateStream(nonce, key);
        Span<byte> macKey = stackalloc byte[MacKeySize];
        NextKeyStream(stream, macKey);

        var box = new byte[TagSize + message.Length];
        stream.ProcessBytes(message, box.AsSpan(TagSize));

        ComputeTag(macKey, box.AsSpan(TagSize), box.AsSpan(0, TagSize));
        CryptographicOperations.ZeroMemory(macKey);
        return box;
    }

    /// <summary>
    /// Checks the tag and decrypts. Returns null when the tag does not match, which means the key
    /// (so the password) is wrong or the box was changed; nothing is decrypted in that case.
    /// </summary>
    public static byte[]? Open(ReadOnlySpan<byte> box, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key)
    {
        if (box.Length < TagSize)
        {
            return null;
        }

        XSalsa20Engine stream = CreateStream(nonce, key);
        Span<byte> macKey = stackalloc byte[MacKeySize];
        NextKeyStream(stream, macKey);

        Span<byte> tag = stackalloc byte[TagSize];
        ComputeTag(macKey, box[TagSize..], tag);
        CryptographicOperations.ZeroMemory(macKey);
        if (!CryptographicOperations.FixedTimeEquals(tag, box[..TagSize]))
        {
            return null;
        }

        var message = new byte[box.Length - TagSize];
        stream.ProcessBytes(box[TagSize..], message);
        return message;
    }

    private static XSalsa20Engine CreateStream(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize || nonce.Length != NonceSize)
        {
            throw new ArgumentException("A secretbox needs a 32-byte key and a 24-byte nonce.");
        }

        var stream = new XSalsa20Engine();
        stream.Init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        return stream;
    }

    /// <summary>Fills <paramref name="output"/> with the next bytes of the key stream.</summary>
    private static void NextKeyStream(XSalsa20Engine stream, Span<byte> output)
    {
        output.Clear();
        stream.ProcessBytes(output, output);
    }

    private static void ComputeTag(ReadOnlySpan<byte> macKey, ReadOnlySpan<byte> data, Span<byte> tag)
    {
        var mac = new Poly1305();
        mac.Init(new KeyParameter(macKey));
        mac.BlockUpdate(data);
        mac.DoFinal(tag);
    }
}
