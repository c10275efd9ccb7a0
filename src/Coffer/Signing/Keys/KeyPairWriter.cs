using System.Text;
using Coffer.Credentials;
using Coffer.Errors;
using Coffer.IO;

namespace Coffer.Signing.Keys;

/// <summary>
/// Writes a key pair as <c>cosign generate-key-pair</c> does: <c>&lt;prefix&gt;.key</c> (the
/// encrypted private key, readable by the owner only) and <c>&lt;prefix&gt;.pub</c>.
/// </summary>
public static class KeyPairWriter
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Generates a new ECDSA P-256 key and writes the pair.</summary>
    /// <param name="prefix">The path without extension, such as <c>cosign</c>.</param>
    /// <param name="password">The password that encrypts the private key; empty is allowed.</param>
    /// <param name="overwrite">Replace existing files instead of refusing.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>The paths written.</returns>
    /// <exception cref="UsageException">The prefix is empty.</exception>
    /// <exception cref="CofferException">
    /// A file exists and overwriting was not asked for, or a write failed.
    /// </exception>
    public static async Task<KeyPairFiles> WriteAsync(
        string prefix,
        string password,
        bool overwrite = false,
        CancellationToken cancellationToken = default)
    {
        using CosignPrivateKey key = CosignPrivateKey.Generate();
        return await WriteAsync(key, prefix, password, overwrite, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes an existing key as a pair.</summary>
    /// <param name="key">The key to write.</param>
    /// <param name="prefix">The path without extension, such as <c>cosign</c>.</param>
    /// <param name="password">The password that encrypts the private key; empty is allowed.</param>
    /// <param name="overwrite">Replace existing files instead of refusing.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>The paths written.</returns>
    /// <exception cref="UsageException">The prefix is empty.</exception>
    /// <exception cref="CofferException">
    /// A file exists and overwriting was not asked for, or a write failed.
    /// </exception>
    public static async Task<KeyPairFiles> WriteAsync(
        CosignPrivateKey key,
        string prefix,
        string password,
        bool overwrite = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(password);
        if (string.IsNullOrWhiteSpace(prefix))
        {
            throw new UsageException("The key pair needs a file name prefix, such as 'cosign'.");
        }

        var files = new KeyPairFiles(prefix + ".key", prefix + ".pub");
        if (!overwrite)
        {
            RefuseExisting(files.PrivateKeyPath);
            RefuseExisting(files.PublicKeyPath);
        }

        // Step 1: encrypt before touching the disk, so a failure leaves nothing behind.
        byte[] privatePem = Encoding.UTF8.GetBytes(key.ToEncryptedPem(password));
        byte[] publicPem = Encoding.UTF8.GetBytes(key.PublicKey.ToPem());

        // Step 2: the private key, created with mode 0600 so it is never readable by others.
        try
        {
            if (overwrite)
            {
                await AtomicFile.WriteAsync(files.PrivateKeyPath, privatePem, cancellationToken)
                    .ConfigureAwait(false);
            }
            else
            {
                await WriteNewAsync(files.PrivateKeyPath, privatePem, OwnerReadWrite, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw WriteFailed(files.PrivateKeyPath, e);
        }

        // Step 3: the public key; if it fails, remove the private key written just before.
        try
        {
            if (overwrite)
            {
                await File.WriteAllBytesAsync(files.PublicKeyPath, publicPem, cancellationToken)
                    .ConfigureAwait(false);
            }
            else
            {
                await WriteNewAsync(files.PublicKeyPath, publicPem, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            TryDelete(files.PrivateKeyPath);
            if (e is OperationCanceledException)
            {
                throw;
            }

            throw WriteFailed(files.PublicKeyPath, e);
        }

        return files;
    }

    private static void RefuseExisting(string path)
    {
        if (File.Exists(path) || Directory.Exists(path))
        {
            throw new CofferException(
                $"Refusing to overwrite {path}.",
                "Move the old key pair away or choose another prefix; replacing keys must be "
                + "asked for explicitly.");
        }
    }

    private static async Task WriteNewAsync(
        string path,
        byte[] content,
        UnixFileMode? mode,
        CancellationToken cancellationToken)
    {
        // CreateNew fails if the file appeared since the check, instead of replacing it.
        var stream = new FileStream(path, NewFile.Options(FileAccess.Write, mode));
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
    }

    private static CofferException WriteFailed(string path, Exception cause) => new(
        $"Cannot write {path}: {cause.Message}",
        "Check that the folder exists and that you may write to it.");

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort; the error about the public key is the one to report.
        }
    }
}
