using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;

namespace Coffer.Signing.Keys;

/// <summary>
/// Encrypts and decrypts key bytes as cosign does: scrypt turns the password into a 32-byte key,
/// which seals the bytes in a NaCl secretbox (spec-notes §5).
/// </summary>
internal static class KeyEncryption
{
    /// <summary>The salt length cosign writes.</summary>
    public const int SaltSize = 32;

    /// <summary>Encrypts <paramref name="plaintext"/> under a fresh random salt and nonce.</summary>
    public static EncryptedKeyEnvelope Seal(
        ReadOnlySpan<byte> plaintext,
        string password,
        ScryptParameters parameters)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(SaltSize);
        byte[] nonce = RandomNumberGenerator.GetBytes(SecretBox.NonceSize);

        byte[] key = DeriveKey(password, salt, parameters);
        try
        {
            byte[] ciphertext = SecretBox.Seal(plaintext, nonce, key);
            return new EncryptedKeyEnvelope
            {
                Scrypt = parameters,
                Salt = salt,
                Nonce = nonce,
                Ciphertext = ciphertext,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Decrypts the envelope; null when the tag does not match (wrong password or changed file).
    /// The caller must zero the returned bytes after use.
    /// </summary>
    public static byte[]? Open(EncryptedKeyEnvelope envelope, string password)
    {
        byte[] key = DeriveKey(password, envelope.Salt, envelope.Scrypt);
        try
        {
            return SecretBox.Open(envelope.Ciphertext, envelope.Nonce, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] DeriveKey(string password, byte[] salt, ScryptParameters parameters)
    {
        // The envelope parser refuses these already; this guards every other caller.
        if (!parameters.IsAccepted)
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), parameters, "Unsupported scrypt settings.");
        }

        byte[] secret = Encoding.UTF8.GetBytes(password);
        try
        {
            return SCrypt.Generate(
                secret,
                salt,
                (int)parameters.Cost,
                (int)parameters.BlockSize,
                (int)parameters.Parallelism,
                SecretBox.KeySize);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
