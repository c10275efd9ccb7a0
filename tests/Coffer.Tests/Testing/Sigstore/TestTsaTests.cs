using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using Coffer.Testing.Sigstore.Servers;

namespace Coffer.Tests.Testing.Sigstore;

public sealed class TestTsaTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private TestTsa _tsa = null!;

    public async Task InitializeAsync() => _tsa = await TestTsa.StartAsync();

    public async Task DisposeAsync() => await _tsa.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Timestamp_AnswersTheRequest_EmbeddingTheSignerOnlyWhenAsked(bool certReq)
    {
        var data = "signature bytes"u8.ToArray();
        var request = Rfc3161TimestampRequest.CreateFromData(
            data, HashAlgorithmName.SHA256, nonce: RandomNumberGenerator.GetBytes(8),
            requestSignerCertificates: certReq);

        using var content = new ByteArrayContent(request.Encode());
        content.Headers.ContentType = new("application/timestamp-query");
        using var response = await Http.PostAsync(_tsa.Url, content);
        var token = request.ProcessResponse(await response.Content.ReadAsByteArrayAsync(), out _);

        Assert.Equal("application/timestamp-reply", response.Content.Headers.ContentType?.MediaType);
        Assert.True(token.VerifySignatureForData(data, out var signer, [_tsa.Signer]));
        Assert.Equal(_tsa.Signer.Thumbprint, signer!.Thumbprint);
        Assert.Equal(certReq ? 1 : 0, token.AsSignedCms().Certificates.Count);
        Assert.InRange(token.TokenInfo.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Timestamp_RefusesAGarbageQuery()
    {
        using var content = new ByteArrayContent([1, 2, 3]);
        using var answer = await Http.PostAsync(_tsa.Url, content);

        var reply = await answer.Content.ReadAsByteArrayAsync();

        // TimeStampResp { PKIStatusInfo { status 2 (rejection), statusString }, no token }
        var response = new AsnReader(reply, AsnEncodingRules.DER).ReadSequence();
        var status = response.ReadSequence();
        Assert.Equal(2, (int)status.ReadInteger());
        Assert.False(response.HasData);
    }
}
