using System.Text.Json.Serialization;

namespace Coffer.Targets;

/// <summary>Source-generated JSON metadata for the files of an OCI image layout and for manifest fields.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(LayoutMarker))]
[JsonSerializable(typeof(ManifestFields))]
internal sealed partial class TargetsJsonContext : JsonSerializerContext;
