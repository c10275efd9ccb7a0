namespace Coffer.Testing.Sigstore.Servers;

/// <summary>One request a test Sigstore server received, for assertions.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path and query.</param>
/// <param name="Status">The status the server answered.</param>
/// <param name="Authorization">The raw <c>Authorization</c> header, or null.</param>
/// <param name="UserAgent">The <c>User-Agent</c> header, or null.</param>
public sealed record ServerRequest(string Method, string Path, int Status, string? Authorization, string? UserAgent);
