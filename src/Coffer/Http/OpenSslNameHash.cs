namespace Coffer.Http;

/// <summary>
/// The hash of a certificate name that OpenSSL names its trust-directory links by
/// (<c>&lt;hash&gt;.0</c>, <c>&lt;hash&gt;.1</c>...), computed by the crypto library itself so
/// that it matches the links exactly.
/// </summary>
internal static unsafe class OpenSslNameHash
{
    private static readonly Functions? Library = Load();

    /// <summary>The eight hex digits for an encoded name, or null when the library cannot say.</summary>
    public static string? Of(ReadOnlySpan<byte> encodedName)
    {
        if (Library is not { } library || encodedName.IsEmpty)
        {
            return null;
        }

        fixed (byte* start = encodedName)
        {
            var cursor = start;
            var name = library.Decode(null, &cursor, encodedName.Length);
            if (name == 0)
            {
                return null;
            }

            try
            {
                var ok = 1;
                var hash = library.HashEx is not null
                    ? library.HashEx(name, 0, 0, &ok)
                    : library.Hash(name);
                return ok == 1 ? ((uint)hash).ToString("x8", System.Globalization.CultureInfo.InvariantCulture) : null;
            }
            finally
            {
                library.Free(name);
            }
        }
    }

    private static Functions? Load()
    {
        if (!LibCrypto.TryGetExport("d2i_X509_NAME", out var decode)
            || !LibCrypto.TryGetExport("X509_NAME_free", out var free))
        {
            return null;
        }

        // OpenSSL 3 exports only the _ex form; 1.1 only the plain one.
        if (LibCrypto.TryGetExport("X509_NAME_hash_ex", out var hashEx))
        {
            return new Functions(
                (delegate* unmanaged<nint*, byte**, nint, nint>)decode,
                null,
                (delegate* unmanaged<nint, nint, nint, int*, nuint>)hashEx,
                (delegate* unmanaged<nint, void>)free);
        }

        return LibCrypto.TryGetExport("X509_NAME_hash", out var hash)
            ? new Functions(
                (delegate* unmanaged<nint*, byte**, nint, nint>)decode,
                (delegate* unmanaged<nint, nuint>)hash,
                null,
                (delegate* unmanaged<nint, void>)free)
            : null;
    }

    private sealed class Functions(
        delegate* unmanaged<nint*, byte**, nint, nint> decode,
        delegate* unmanaged<nint, nuint> hash,
        delegate* unmanaged<nint, nint, nint, int*, nuint> hashEx,
        delegate* unmanaged<nint, void> free)
    {
        public delegate* unmanaged<nint*, byte**, nint, nint> Decode { get; } = decode;

        public delegate* unmanaged<nint, nuint> Hash { get; } = hash;

        public delegate* unmanaged<nint, nint, nint, int*, nuint> HashEx { get; } = hashEx;

        public delegate* unmanaged<nint, void> Free { get; } = free;
    }
}
