namespace Coffer.Testing;

/// <summary>One access-log line of a <see cref="RegistryServer"/>: a request the registry answered.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request target, path and query, as the registry logged it.</param>
/// <param name="Status">The status code the registry answered.</param>
/// <param name="UserAgent">The client's User-Agent (empty when none was sent).</param>
public sealed record RegistryRequest(string Method, string Path, int Status, string UserAgent);
