namespace Coffer.Cli.Output;

/// <summary>How transfers are reported while they run (<c>--progress</c>, after <c>auto</c> is resolved).</summary>
internal enum ProgressMode
{
    /// <summary>No status output.</summary>
    None,

    /// <summary>A live display on stderr.</summary>
    Tty,

    /// <summary>One line per blob event on stdout, plus a heartbeat for running transfers.</summary>
    Plain,

    /// <summary>One JSON object per event on stderr.</summary>
    Json,
}
