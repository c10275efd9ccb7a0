namespace Coffer.Diagnostics;

/// <summary>
/// Where <c>--debug</c> output goes. Off unless a sink is given; every line passes through the
/// <see cref="Redactor"/> first.
/// </summary>
public sealed class DebugLog
{
    private readonly Action<string>? _sink;

    /// <summary>Creates a log.</summary>
    /// <param name="redactor">Masks secrets in every line.</param>
    /// <param name="sink">Receives lines; <see langword="null"/> turns logging off.</param>
    public DebugLog(Redactor redactor, Action<string>? sink)
    {
        Redactor = redactor;
        _sink = sink;
    }

    /// <summary>The redactor in use.</summary>
    public Redactor Redactor { get; }

    /// <summary>True when lines are written somewhere.</summary>
    public bool IsEnabled => _sink is not null;

    /// <summary>Writes a line, with secrets masked.</summary>
    public void Write(string line)
    {
        _sink?.Invoke(Redactor.Scrub(line));
    }
}
