namespace Coffer.Cli.Output;

/// <summary>A transparency-log entry that verified: the log (its URL, else its id) and the entry's index.</summary>
internal sealed class LogEntryJson
{
    public required string Log { get; init; }

    public required long Index { get; init; }
}
