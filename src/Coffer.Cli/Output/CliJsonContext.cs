using System.Text.Json.Serialization;

namespace Coffer.Cli.Output;

/// <summary>Source-generated JSON metadata for what the CLI reads.</summary>
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
