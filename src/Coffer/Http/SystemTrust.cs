using System.Net.Security;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Coffer.Http;

/// <summary>
/// Checks a server's certificate against the operating system's trusted certificates, read by
/// Coffer instead of by .NET. On Linux, .NET reads and parses every file of OpenSSL's trust
/// locations (about 300 on Debian, 35 ms of CPU) the first time a process builds any certificate
/// chain, whatever its trust mode. A process that calls <see cref="TakeOver"/> first points those
/// locations at nothing for .NET; Coffer then gives the chain builder only the certificates that
/// can issue the chain at hand, found as OpenSSL finds them (by the directories' subject-hash
/// links), and reads every file only when those make no path, so what is trusted stays the same.
/// </summary>
internal static partial class SystemTrust
{
    private const string FileVariable = "SSL_CERT_FILE";
    private const string DirectoryVariable = "SSL_CERT_DIR";
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const int MaxDepth = 8;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, List<X509Certificate2>> LinkCache = new(StringComparer.Ordinal);
    private static TrustLocations? _locations;
    private static (string? File, IReadOnlyList<string> Directories)? _resolved;
    private static TrustIndex? _index;

    /// <summary>True once this process checks servers' certificates itself.</summary>
    public static bool IsOwned => Volatile.Read(ref _locations) is not null;

    /// <summary>
    /// Makes this process check servers' certificates itself, from the trust locations the
    /// environment names now (or OpenSSL's defaults). Call it before anything builds a certificate
    /// chain or opens a TLS connection. Child processes keep the original environment. Linux only;
    /// returns false where nothing was changed.
    /// </summary>
    public static bool TakeOver()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        lock (Gate)
        {
            if (_locations is not null)
            {
                return true;
            }

            // .NET keeps its own copy of the environment, which child processes are started with;
            // taking it now keeps the original variables for them. Native code, which is what reads
            // these two, sees only the change below.
            _ = Environment.GetEnvironmentVariables();
            var file = Environment.GetEnvironmentVariable(FileVariable);
            var directories = Environment.GetEnvironmentVariable(DirectoryVariable);
            if (SetNativeVariable(DirectoryVariable, "", 1) != 0)
            {
                return false;
            }

            if (SetNativeVariable(FileVariable, "/dev/null", 1) != 0)
            {
                _ = directories is null
                    ? UnsetNativeVariable(DirectoryVariable)
                    : SetNativeVariable(DirectoryVariable, directories, 1);
                return false;
            }

            Volatile.Write(ref _locations, new TrustLocations(file, directories));
            return true;
        }
    }

    /// <summary>
    /// A <see cref="RemoteCertificateValidationCallback"/> body: accepts what .NET accepted, and
    /// otherwise a certificate for the right host whose only fault is its chain, when a path for
    /// server authentication leads from it to an OS-trusted certificate (once this process owns
    /// the trust) or to one of <paramref name="extraRoots"/>.
    /// </summary>
    /// <param name="certificate">The server's certificate.</param>
    /// <param name="chain">The chain .NET built, holding the certificates the server sent.</param>
    /// <param name="errors">What .NET found wrong.</param>
    /// <param name="extraRoots">Certificates trusted besides the OS's (<c>--ca-file</c>), or null.</param>
    public static bool Validate(
        X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection? extraRoots)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // A name mismatch or a missing certificate is not something a trusted root can fix.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        var owned = IsOwned;
        if (!owned && extraRoots is null)
        {
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        var presented = new X509Certificate2Collection();
        if (chain is not null)
        {
            presented.AddRange(chain.ChainPolicy.ExtraStore);
            foreach (var element in chain.ChainElements)
            {
                presented.Add(element.Certificate);
            }
        }

        if (!owned)
        {
            return Build(leaf, presented, [], extraRoots);
        }

        // First what OpenSSL's own lookup would find behind the directories' hash links; then,
        // reading every file, the certificates named as issuers; then all of them, as .NET would.
        X509Certificate2[] sent = [leaf, .. presented];
        if (Build(leaf, presented, LinkedIssuers(sent), extraRoots))
        {
            return true;
        }

        var index = Index();
        return Build(leaf, presented, index.IssuersOf(sent), extraRoots)
            || Build(leaf, presented, index.All(), extraRoots);
    }

    private static List<X509Certificate2> LinkedIssuers(IEnumerable<X509Certificate2> presented)
    {
        var directories = Locations().Directories;
        var found = new List<X509Certificate2>();
        var asked = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<(byte[] Name, int Depth)>();
        foreach (var certificate in presented)
        {
            pending.Enqueue((certificate.IssuerName.RawData, 0));
        }

        while (pending.TryDequeue(out var next))
        {
            if (OpenSslNameHash.Of(next.Name) is not { } hash || !asked.Add(hash))
            {
                continue;
            }

            foreach (var certificate in Linked(hash, directories))
            {
                found.Add(certificate);
                if (!IsSelfIssued(certificate) && next.Depth < MaxDepth)
                {
                    pending.Enqueue((certificate.IssuerName.RawData, next.Depth + 1));
                }
            }
        }

        return found;
    }

    // The certificates of <hash>.0, <hash>.1... in each directory, read once per process.
    private static List<X509Certificate2> Linked(string hash, IReadOnlyList<string> directories)
    {
        lock (Gate)
        {
            if (LinkCache.TryGetValue(hash, out var cached))
            {
                return cached;
            }

            var found = new List<X509Certificate2>();
            foreach (var directory in directories)
            {
                for (var n = 0; ; n++)
                {
                    var path = Path.Combine(directory, $"{hash}.{n}");
                    if (!File.Exists(path))
                    {
                        break;
                    }

                    // Read as .NET reads every file of the directory, so a link adds nothing more.
                    foreach (var der in OpenSslPemFile.Certificates(path))
                    {
                        try
                        {
                            found.Add(X509CertificateLoader.LoadCertificate(der));
                        }
                        catch (CryptographicException)
                        {
                            // Not a certificate .NET could use either.
                        }
                    }
                }
            }

            LinkCache[hash] = found;
            return found;
        }
    }

    private static (string? File, IReadOnlyList<string> Directories) Locations()
    {
        lock (Gate)
        {
            return _resolved ??= _locations!.Resolve();
        }
    }

    private static bool Build(X509Certificate2 leaf, X509Certificate2Collection presented,
        IReadOnlyList<X509Certificate2> system, X509Certificate2Collection? extraRoots)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.ApplicationPolicy.Add(new Oid(ServerAuthentication));

        // Only self-issued certificates anchor a path, as in the OS store; others help build it.
        foreach (var certificate in system)
        {
            (IsSelfIssued(certificate) ? policy.CustomTrustStore : policy.ExtraStore).Add(certificate);
        }

        if (extraRoots is not null)
        {
            policy.CustomTrustStore.AddRange(extraRoots);
            policy.ExtraStore.AddRange(extraRoots);
        }

        policy.ExtraStore.AddRange(presented);
        return chain.Build(leaf);
    }

    private static TrustIndex Index()
    {
        var locations = Locations();
        lock (Gate)
        {
            return _index ??= TrustIndex.Read(locations);
        }
    }

    internal static bool IsSelfIssued(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetNativeVariable(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnsetNativeVariable(string name);
}
