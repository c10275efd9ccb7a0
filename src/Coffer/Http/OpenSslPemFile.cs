using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Coffer.Http;

/// <summary>
/// Reads the certificates of a trust file as .NET reads them into its OS store on Linux: with
/// OpenSSL's own PEM reader, one <c>CERTIFICATE</c> block after another (other blocks skipped)
/// until the first block it cannot read. So a DER file, a <c>TRUSTED CERTIFICATE</c> block, a
/// block OpenSSL's parser would not find, and whatever follows a broken block are not read here
/// either: the same bytes give the same trusted certificates.
/// </summary>
internal static unsafe class OpenSslPemFile
{
    private static readonly Functions? Library = Load();

    /// <summary>The DER encodings of the certificates read, in file order; empty when unreadable.</summary>
    public static List<byte[]> Certificates(string path)
    {
        var found = new List<byte[]>();
        if (Library is not { } library)
        {
            return found;
        }

        var bio = library.NewFile(path, "rb");
        if (bio == 0)
        {
            library.ClearError();
            return found;
        }

        try
        {
            while (true)
            {
                var certificate = library.ReadX509(bio, null, &NoPassword, null);
                if (certificate == 0)
                {
                    break;
                }

                try
                {
                    var length = library.EncodeX509(certificate, null);
                    if (length > 0)
                    {
                        var der = new byte[length];
                        fixed (byte* start = der)
                        {
                            var cursor = start;
                            if (library.EncodeX509(certificate, &cursor) == length)
                            {
                                found.Add(der);
                            }
                        }
                    }
                }
                finally
                {
                    library.FreeX509(certificate);
                }
            }
        }
        finally
        {
            // The reader ends on an error ("no start line" at the end of every file): not ours.
            library.ClearError();
            _ = library.FreeBio(bio);
        }

        return found;
    }

    // A certificate block never asks for a password; one that does is not read, and nothing
    // is asked on the terminal.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int NoPassword(byte* buffer, int size, int writing, void* state) => -1;

    private static Functions? Load() =>
        LibCrypto.TryGetExport("BIO_new_file", out var newFile)
        && LibCrypto.TryGetExport("BIO_free", out var freeBio)
        && LibCrypto.TryGetExport("PEM_read_bio_X509", out var readX509)
        && LibCrypto.TryGetExport("i2d_X509", out var encodeX509)
        && LibCrypto.TryGetExport("X509_free", out var freeX509)
        && LibCrypto.TryGetExport("ERR_clear_error", out var clearError)
            ? new Functions(
                (delegate* unmanaged<byte*, byte*, nint>)newFile,
                (delegate* unmanaged<nint, int>)freeBio,
                (delegate* unmanaged<nint, nint*, delegate* unmanaged[Cdecl]<byte*, int, int, void*, int>, void*,
                    nint>)readX509,
                (delegate* unmanaged<nint, byte**, int>)encodeX509,
                (delegate* unmanaged<nint, void>)freeX509,
                (delegate* unmanaged<void>)clearError)
            : null;

    private sealed class Functions(
        delegate* unmanaged<byte*, byte*, nint> newFile,
        delegate* unmanaged<nint, int> freeBio,
        delegate* unmanaged<nint, nint*, delegate* unmanaged[Cdecl]<byte*, int, int, void*, int>, void*, nint> readX509,
        delegate* unmanaged<nint, byte**, int> encodeX509,
        delegate* unmanaged<nint, void> freeX509,
        delegate* unmanaged<void> clearError)
    {
        public nint NewFile(string path, string mode)
        {
            var pathBytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
            var modeBytes = System.Text.Encoding.UTF8.GetBytes(mode + "\0");
            fixed (byte* pathStart = pathBytes, modeStart = modeBytes)
            {
                return newFile(pathStart, modeStart);
            }
        }

        public int FreeBio(nint bio) => freeBio(bio);

        public nint ReadX509(nint bio, nint* into,
            delegate* unmanaged[Cdecl]<byte*, int, int, void*, int> password, void* state) =>
            readX509(bio, into, password, state);

        public int EncodeX509(nint certificate, byte** output) => encodeX509(certificate, output);

        public void FreeX509(nint certificate) => freeX509(certificate);

        public void ClearError() => clearError();
    }
}
