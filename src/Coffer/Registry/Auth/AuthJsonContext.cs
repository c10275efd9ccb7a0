using System.Text.Json.Serialization;

namespace Coffer.Registry.Auth;

/// <summary>Source-generated JSON metadata for token responses.</summary>
[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
