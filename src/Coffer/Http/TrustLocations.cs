using System.Runtime.InteropServices;

namespace Coffer.Http;

/// <summary>
/// Where OpenSSL finds trusted certificates: <c>SSL_CERT_FILE</c> and <c>SSL_CERT_DIR</c> as they
/// were set for the process (null when unset), or else OpenSSL's own defaults.
/// </summary>
/// <param name="File">The bundle file from the environment, or null.</param>
/// <param name="Directories">The directories from the environment, separated by ':', or null.</param>
internal sealed record TrustLocations(string? File, string? Directories)
{
    // Used only if the crypto library cannot say where its defaults are: the usual places.
    private static readonly string[] KnownFiles =
    [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/ca-bundle.pem",
        "/etc/ssl/cert.pem",
    ];

    private static readonly string[] KnownDirectories = ["/etc/ssl/certs", "/etc/pki/tls/certs"];

    /// <summary>The bundle file and the directories to read, defaults filled in.</summary>
    public (string? File, IReadOnlyList<string> Directories) Resolve()
    {
        var defaults = OpenSslDefaults();
        // Set but empty means no bundle at all for .NET, not the default one.
        var file = File is null
            ? defaults?.File ?? KnownFiles.FirstOrDefault(System.IO.File.Exists)
            : File.Length > 0 ? File : null;
        IReadOnlyList<string> directories = Directories is not null
            ? Directories.Split(':', StringSplitOptions.RemoveEmptyEntries)
            : defaults is { } found ? [found.Directory] : KnownDirectories;
        return (file, directories);
    }

    // The crypto library's compiled-in defaults are what .NET would have read.
    private static unsafe (string File, string Directory)? OpenSslDefaults() =>
        LibCrypto.TryGetExport("X509_get_default_cert_file", out var fileExport)
        && LibCrypto.TryGetExport("X509_get_default_cert_dir", out var directoryExport)
        && Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)fileExport)()) is { } file
        && Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)directoryExport)()) is { } directory
            ? (file, directory)
            : null;
}
