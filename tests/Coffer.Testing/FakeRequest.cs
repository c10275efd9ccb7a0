namespace Coffer.Testing;

/// <summary>One request a <see cref="FakeRegistry"/> received, recorded before any handling.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">The path and query string as sent.</param>
/// <param name="Headers">Request headers (case-insensitive names, repeated values joined with ", ").</param>
public sealed record FakeRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The Authorization header, or null when the request had none.</summary>
    public string? Authorization => Headers.TryGetValue("Authorization", out var value) ? value : null;
}
