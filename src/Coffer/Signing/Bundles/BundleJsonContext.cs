using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coffer.Signing.Bundles;

/// <summary>Source-generated JSON metadata for the bundle model (proto3 JSON field names).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = false,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    AllowTrailingCommas = false,
    NumberHandling = JsonNumberHandling.Strict,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(Bundle))]
[JsonSerializable(typeof(InTotoStatement))]
[JsonSerializable(typeof(DsseEnvelope))]
public sealed partial class BundleJsonContext : JsonSerializerContext;
