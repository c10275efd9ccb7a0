namespace Coffer.Registry;

/// <summary>One logical request to a registry, which the transport may send several times.</summary>
internal sealed class RegistryRequest
{
    public required HttpMethod Method { get; init; }

    public required Uri Uri { get; init; }

    /// <summary>What the request is part of, for error messages (<c>push ghcr.io/o/r:v1</c>).</summary>
    public required string Operation { get; init; }

    public string? Accept { get; init; }

    /// <summary>Makes a fresh body for each attempt, so retries and auth round trips can resend.</summary>
    public Func<HttpContent>? Content { get; init; }

    /// <summary>True when sending twice does no harm, so dropped connections may be retried.</summary>
    public bool Idempotent { get; init; }

    /// <summary>
    /// When set, a successful answer's body is read into memory (at most this many bytes and one
    /// more) before the request counts as answered, under the same stall deadline and retries.
    /// </summary>
    public int? BufferLimit { get; init; }

    /// <summary>Extra headers, such as <c>Range</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}
