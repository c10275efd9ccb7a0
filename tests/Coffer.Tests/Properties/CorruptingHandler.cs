namespace Coffer.Tests.Properties;

/// <summary>
/// Passes requests on to a real server and rewrites the body of each answer on its way back, the
/// way a broken proxy or a broken service would, so a client's parser sees a damaged answer to the
/// request it really sent.
/// </summary>
internal sealed class CorruptingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    /// <summary>Rewrites an answer's body; null passes it through.</summary>
    public Func<byte[], byte[]>? Corrupt { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request,
        CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (Corrupt is not { } corrupt)
        {
            return response;
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var content = new ByteArrayContent(corrupt(body));
        foreach (var header in response.Content.Headers)
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        response.Content.Dispose();
        response.Content = content;
        return response;
    }
}
