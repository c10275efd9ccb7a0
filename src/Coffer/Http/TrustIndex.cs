using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Coffer.Http;

/// <summary>
/// The certificates of the OS trust locations, read as .NET reads them (<see cref="OpenSslPemFile"/>)
/// and indexed by subject name from their raw bytes: a certificate object is made only for those a
/// chain asks for, since making one costs far more than reading its names.
/// </summary>
internal sealed class TrustIndex
{
    private const int MaxDepth = 8;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Entry>> _bySubject = new(StringComparer.Ordinal);
    private readonly List<Entry> _all = [];

    private TrustIndex()
    {
    }

    /// <summary>Reads a bundle file and directories (each file in them, links followed once).</summary>
    public static TrustIndex Read((string? File, IReadOnlyList<string> Directories) locations)
    {
        var index = new TrustIndex();
        var seenFiles = new HashSet<string>(StringComparer.Ordinal);
        var seenCertificates = new HashSet<string>(StringComparer.Ordinal);
        if (locations.File is not null)
        {
            index.AddFile(locations.File, seenFiles, seenCertificates);
        }

        foreach (var directory in locations.Directories)
        {
            IEnumerable<string> files;
            try
            {
                files = Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var file in files)
            {
                index.AddFile(file, seenFiles, seenCertificates);
            }
        }

        return index;
    }

    /// <summary>
    /// The certificates whose subject issued one of <paramref name="presented"/>, and their
    /// issuers in turn, up to the self-issued ones.
    /// </summary>
    public IReadOnlyList<X509Certificate2> IssuersOf(IEnumerable<X509Certificate2> presented)
    {
        var found = new List<X509Certificate2>();
        var asked = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<(string Name, int Depth)>();
        foreach (var certificate in presented)
        {
            pending.Enqueue((Key(certificate.IssuerName.RawData), 0));
        }

        while (pending.TryDequeue(out var next))
        {
            if (!asked.Add(next.Name) || !_bySubject.TryGetValue(next.Name, out var entries))
            {
                continue;
            }

            foreach (var entry in entries)
            {
                if (Load(entry) is not { } certificate)
                {
                    continue;
                }

                found.Add(certificate);
                if (entry.Issuer != next.Name && next.Depth < MaxDepth)
                {
                    pending.Enqueue((entry.Issuer, next.Depth + 1));
                }
            }
        }

        return found;
    }

    /// <summary>Every certificate of the locations.</summary>
    public IReadOnlyList<X509Certificate2> All() =>
        [.. _all.Select(Load).OfType<X509Certificate2>()];

    private X509Certificate2? Load(Entry entry)
    {
        lock (_gate)
        {
            if (entry.Certificate is null && !entry.Unreadable)
            {
                try
                {
                    entry.Certificate = X509CertificateLoader.LoadCertificate(entry.Der);
                }
                catch (CryptographicException)
                {
                    entry.Unreadable = true;
                }
            }

            return entry.Certificate;
        }
    }

    private void AddFile(string path, HashSet<string> seenFiles, HashSet<string> seenCertificates)
    {
        try
        {
            // A hash link and the file it names are one file: read it once.
            var real = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
            if (!seenFiles.Add(real) || Directory.Exists(real))
            {
                return;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var der in OpenSslPemFile.Certificates(path))
        {
            if (Names(der) is not { } names || !seenCertificates.Add(Convert.ToBase64String(SHA256.HashData(der))))
            {
                continue;
            }

            var entry = new Entry(der, names.Issuer);
            _all.Add(entry);
            if (!_bySubject.TryGetValue(names.Subject, out var entries))
            {
                _bySubject[names.Subject] = entries = [];
            }

            entries.Add(entry);
        }
    }

    // The encoded issuer and subject names of a certificate, read without building it.
    private static (string Issuer, string Subject)? Names(byte[] der)
    {
        try
        {
            var certificate = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
            var tbs = certificate.ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                tbs.ReadEncodedValue();
            }

            tbs.ReadEncodedValue(); // serial number
            tbs.ReadEncodedValue(); // signature algorithm
            var issuer = tbs.ReadEncodedValue();
            tbs.ReadEncodedValue(); // validity
            var subject = tbs.ReadEncodedValue();
            return (Key(issuer.Span), Key(subject.Span));
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static string Key(ReadOnlySpan<byte> name) => Convert.ToBase64String(name);

    private sealed class Entry(byte[] der, string issuer)
    {
        public byte[] Der { get; } = der;

        public string Issuer { get; } = issuer;

        public X509Certificate2? Certificate { get; set; }

        public bool Unreadable { get; set; }
    }
}
