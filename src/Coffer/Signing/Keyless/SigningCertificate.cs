using System.Security.Cryptography.X509Certificates;

namespace Coffer.Signing.Keyless;

/// <summary>A code-signing certificate Fulcio issued, with the chain it returned.</summary>
public sealed class SigningCertificate : IDisposable
{
    /// <summary>Creates the result.</summary>
    /// <param name="leaf">The issued leaf.</param>
    /// <param name="chain">The intermediates and root Fulcio sent after the leaf; not trusted.</param>
    public SigningCertificate(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> chain)
    {
        Leaf = leaf;
        Chain = chain;
    }

    /// <summary>The leaf certificate; the only one that goes into a v0.3 bundle.</summary>
    public X509Certificate2 Leaf { get; }

    /// <summary>The rest of the chain as Fulcio sent it. Trust comes from the trusted root, never from here.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>Disposes the certificates.</summary>
    public void Dispose()
    {
        Leaf.Dispose();
        foreach (var certificate in Chain)
        {
            certificate.Dispose();
        }
    }
}
