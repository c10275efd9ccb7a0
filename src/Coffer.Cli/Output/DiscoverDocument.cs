using System.Text.Json.Serialization;
using Coffer.Cli.Hosting;
using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>
/// <c>discover --format json</c>, in the shape ORAS 1.3 settled on: the subject's reference and
/// descriptor, and its referrers nested under <c>referrers</c> (always a list).
/// </summary>
internal sealed partial class DiscoverDocument
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; } = JsonOutput.SchemaVersion;

    public required string Reference { get; init; }

    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    public required IReadOnlyDictionary<string, string> Annotations { get; init; }

    public string? ArtifactType { get; init; }

    public required IReadOnlyList<ReferrerJson> Referrers { get; init; }

    /// <param name="reference">The repository.</param>
    /// <param name="subject">The artifact whose referrers were listed.</param>
    /// <param name="referrers">Its referrers, each with its own.</param>
    public static DiscoverDocument From(
        TargetArgument reference, Descriptor subject, IReadOnlyList<ReferrerJson> referrers)
        => new()
        {
            Reference = reference.WithDigest(subject.ParsedDigest()).ToString(),
            MediaType = subject.MediaType,
            Digest = subject.Digest,
            Size = subject.Size,
            Annotations = DescriptorJson.AnnotationsOf(subject),
            ArtifactType = subject.ArtifactType,
            Referrers = referrers,
        };

    /// <summary>One referrer and the referrers below it.</summary>
    public static ReferrerJson Referrer(
        TargetArgument reference, Descriptor referrer, IReadOnlyList<ReferrerJson> below)
        => new()
        {
            Reference = reference.WithDigest(referrer.ParsedDigest()).ToString(),
            MediaType = referrer.MediaType,
            Digest = referrer.Digest,
            Size = referrer.Size,
            Annotations = DescriptorJson.AnnotationsOf(referrer),
            ArtifactType = referrer.ArtifactType,
            Referrers = below,
        };

    public void WriteTo(TextWriter output) =>
        JsonOutput.Print(output, this, DiscoverDocumentContext.Default.DiscoverDocument);

    [JsonSerializable(typeof(DiscoverDocument))]
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        GenerationMode = JsonSourceGenerationMode.Serialization)]
    private sealed partial class DiscoverDocumentContext : JsonSerializerContext;
}
