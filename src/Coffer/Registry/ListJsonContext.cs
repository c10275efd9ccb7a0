using System.Text.Json.Serialization;

namespace Coffer.Registry;

/// <summary>Source-generated JSON metadata for the registry's list pages.</summary>
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(CatalogPage))]
internal sealed partial class ListJsonContext : JsonSerializerContext;
