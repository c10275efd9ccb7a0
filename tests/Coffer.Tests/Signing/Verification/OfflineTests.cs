using Coffer.Signing.Verification;
using Coffer.Testing.Sigstore;

namespace Coffer.Tests.Signing.Verification;

/// <summary>cosign #4454: verification is offline; it never touches the network.</summary>
[Collection(SerialTestGroup.Name)]
public sealed class OfflineTests : VerifierTestBase
{
    [Fact]
    public void Verify_KeylessWithTimestamp_MakesNoNetworkRequest()
    {
        using var signed = Sign(new SignOptions { Timestamp = true });
        using var listener = new NetworkEventListener();

        var result = Verify(signed);

        Assert.Equal(2, result.VerifiedTimes.Count);
        Assert.Empty(listener.Events);
    }

    [Fact]
    public void Verify_MissingIntermediate_FailsWithoutDownloadingIt()
    {
        using var signed = Sign();
        var root = Authority.TrustedRoot();
        root.CertificateAuthorities[0].CertChain!.Certificates!.RemoveAt(0);
        using var listener = new NetworkEventListener();

        var error = Fails(VerificationStep.Certificate, signed, root: root);

        Assert.Empty(listener.Events);
        Assert.Contains("does not chain", error.Message, StringComparison.Ordinal);
    }
}
