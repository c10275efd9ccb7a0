namespace Coffer.Registry.Auth;

/// <summary>A bearer token and when it stops being worth sending.</summary>
internal sealed record CachedToken(string Value, DateTimeOffset ExpiresAt);
