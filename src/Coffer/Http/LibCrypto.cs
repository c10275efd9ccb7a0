using System.Runtime.InteropServices;

namespace Coffer.Http;

/// <summary>
/// The OpenSSL crypto library .NET itself uses on Linux, for the few functions Coffer calls
/// directly to read trust locations the way OpenSSL and .NET do. By the time a certificate is
/// checked .NET has loaded it, so finding it costs nothing.
/// </summary>
internal static class LibCrypto
{
    private static readonly nint Handle = Load();

    /// <summary>The address of an exported function, or false when the library or function is missing.</summary>
    public static bool TryGetExport(string name, out nint address)
    {
        address = 0;
        return Handle != 0 && NativeLibrary.TryGetExport(Handle, name, out address);
    }

    private static nint Load()
    {
        foreach (var file in (string[])["libcrypto.so.3", "libcrypto.so.1.1"])
        {
            if (NativeLibrary.TryLoad(file, out var library))
            {
                return library;
            }
        }

        return 0;
    }
}
