using System.Security.Cryptography.X509Certificates;

namespace Coffer.Signing.Verification;

/// <summary>
/// RFC 5280 path validation of a leaf against one trusted chain at one instant, anchored only on
/// the trusted chain's last certificate (never on the OS store or on certificates from a bundle).
/// </summary>
internal static class CertificatePath
{
    private static readonly Lazy<Task> SystemStores = new(() => Task.Run(LoadSystemStores));

    /// <summary>
    /// Starts reading the OS certificate stores in the background. On Linux, .NET's chain builder
    /// reads them all on first use even under a custom root trust, which takes tens of
    /// milliseconds; started early, that read overlaps with parsing and checking the bundle.
    /// </summary>
    public static void StartLoading()
    {
        // A process that checks TLS certificates itself has pointed .NET at no OS store.
        if (!Http.SystemTrust.IsOwned)
        {
            _ = SystemStores.Value;
        }
    }

    /// <summary>
    /// Builds the path leaf → trusted[0] → … → trusted[^1] valid at <paramref name="at"/>. Returns
    /// the issuer of the leaf, or null with the reason.
    /// </summary>
    public static X509Certificate2? Validate(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> trusted,
        DateTimeOffset at, out string failure)
    {
        failure = "";
        if (trusted.Count == 0)
        {
            failure = "the trusted chain is empty";
            return null;
        }

        var anchor = trusted[^1];

        // The leaf may itself be the anchor (a TSA that lists only its own certificate).
        if (leaf.RawDataMemory.Span.SequenceEqual(anchor.RawDataMemory.Span))
        {
            if (at < leaf.NotBefore.ToUniversalTime() || at > leaf.NotAfter.ToUniversalTime())
            {
                failure = $"the certificate is not valid at {at:O}";
                return null;
            }

            return leaf;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(anchor);
        for (var i = 0; i < trusted.Count - 1; i++)
        {
            chain.ChainPolicy.ExtraStore.Add(trusted[i]);
        }

        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;

        var built = chain.Build(leaf);
        var elements = chain.ChainElements;

        // The trust anchor may be an intermediate (§2). X509Chain then reports only PartialChain
        // though every other check passed; accept that one case when the path ends at the anchor and
        // the anchor's signature on the certificate below it is checked here.
        if (!built && !IsSelfIssued(anchor) && elements.Count >= 2
            && chain.ChainStatus.All(s => s.Status == X509ChainStatusFlags.PartialChain)
            && elements[^1].Certificate.RawDataMemory.Span.SequenceEqual(anchor.RawDataMemory.Span)
            && CertificateSignature.IsSignedBy(elements[^2].Certificate, anchor))
        {
            built = true;
        }

        if (!built)
        {
            var statuses = chain.ChainStatus.Select(s => s.Status.ToString()).Distinct();
            failure = $"no valid path at {at:O} ({string.Join(", ", statuses)})";
            return null;
        }

        // Hybrid model (§3.2 step 2): every certificate of the path, anchor included, is valid at
        // the time, checked here too because X509Chain skips an intermediate anchor's dates.
        foreach (var element in elements)
        {
            var certificate = element.Certificate;
            if (at < certificate.NotBefore.ToUniversalTime() || at > certificate.NotAfter.ToUniversalTime())
            {
                failure = $"no valid path at {at:O} ({certificate.Subject} is not valid then)";
                return null;
            }
        }

        // Every certificate above the leaf must come from the trusted chain, ending at the anchor.
        for (var i = 1; i < elements.Count; i++)
        {
            var certificate = elements[i].Certificate;
            if (!trusted.Any(t => t.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span)))
            {
                failure = "the path leaves the trusted chain";
                return null;
            }
        }

        if (elements.Count < 2
            || !elements[^1].Certificate.RawDataMemory.Span.SequenceEqual(anchor.RawDataMemory.Span))
        {
            failure = "the path does not end at the trusted anchor";
            return null;
        }

        return elements[1].Certificate;
    }

    private static void LoadSystemStores()
    {
        try
        {
            using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
            store.Open(OpenFlags.ReadOnly);
            foreach (var certificate in store.Certificates)
            {
                certificate.Dispose();
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Only a head start: the chain builder reads the stores again and reports any trouble.
        }
    }

    private static bool IsSelfIssued(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
}
