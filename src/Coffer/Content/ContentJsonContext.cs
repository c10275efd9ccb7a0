using System.Text.Json.Serialization;

namespace Coffer.Content;

/// <summary>Source-generated JSON metadata for the content model, so nothing needs reflection.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ManifestProbe))]
[JsonSerializable(typeof(Descriptor))]
[JsonSerializable(typeof(Platform))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
public sealed partial class ContentJsonContext : JsonSerializerContext
{
    private static int _prepared;

    /// <summary>
    /// Builds the metadata of the manifest types on a pool thread. Its first use in a process costs
    /// a millisecond or so, which a command can spend while a request is out instead of after it.
    /// </summary>
    internal static void Prepare()
    {
        if (Interlocked.Exchange(ref _prepared, 1) == 0)
        {
            _ = Task.Run(static () =>
            {
                _ = Default.ManifestProbe;
                _ = Default.ImageManifest;
            });
        }
    }
}
