using System.Text.Json.Serialization;

namespace Coffer.Targets;

/// <summary>Source-generated JSON metadata for the files of an OCI image layout.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(LayoutMarker))]
[JsonSerializable(typeof(LayoutManifestProbe))]
internal sealed partial class LayoutJsonContext : JsonSerializerContext;
