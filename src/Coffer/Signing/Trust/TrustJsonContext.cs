using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coffer.Signing.Trust;

/// <summary>Source-generated JSON metadata for the trusted-root model.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = false,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    AllowTrailingCommas = false,
    NumberHandling = JsonNumberHandling.Strict,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(TrustedRoot))]
public sealed partial class TrustJsonContext : JsonSerializerContext;
