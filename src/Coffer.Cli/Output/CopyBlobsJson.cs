namespace Coffer.Cli.Output;

/// <summary>How many blobs a copy uploaded, found at the destination, or mounted from the source.</summary>
internal sealed class CopyBlobsJson
{
    public required int Copied { get; init; }

    public required int Exists { get; init; }

    public required int Mounted { get; init; }
}
