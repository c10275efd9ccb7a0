using System.Collections.Concurrent;
using System.Diagnostics;
using Coffer.Artifacts;
using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>
/// Shows transfers as ORAS does. On a terminal, a live display on stderr with bytes, rate and
/// time left. Elsewhere (CI logs), one line per blob event on stdout, plus a progress line for
/// each running transfer every few seconds so a long upload never looks hung.
/// </summary>
internal sealed class StatusPrinter : ITransferObserver, IDisposable
{
    private readonly TextWriter _lines;
    private readonly TextWriter _terminal;
    private readonly bool _enabled;
    private readonly bool _tty;
    private readonly string[] _words;
    private readonly ConcurrentDictionary<string, Transfer> _active = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Timer? _timer;
    private int _drawn;

    /// <param name="lines">Where plain status lines go.</param>
    /// <param name="terminal">Where the live display goes.</param>
    /// <param name="enabled">False to print nothing (JSON output).</param>
    /// <param name="tty">True for the live display.</param>
    /// <param name="push">True for push words (Uploading), false for pull words (Downloading).</param>
    /// <param name="heartbeat">How often plain mode reports running transfers.</param>
    public StatusPrinter(TextWriter lines, TextWriter terminal, bool enabled, bool tty, bool push, TimeSpan heartbeat)
    {
        _lines = lines;
        _terminal = terminal;
        _enabled = enabled;
        _tty = tty && enabled;
        _words = push
            ? ["Uploading", "Uploaded ", "Exists   ", "Skipped  "]
            : ["Downloading", "Downloaded ", "Exists     ", "Skipped    "];
        if (enabled)
        {
            var period = _tty ? TimeSpan.FromMilliseconds(200) : heartbeat;
            _timer = new Timer(_ => Tick(), null, period, period);
        }
    }

    public void Started(Descriptor descriptor, string name)
    {
        if (!_enabled)
        {
            return;
        }

        _active[descriptor.Digest] = new Transfer(name, descriptor, Stopwatch.StartNew());
        if (!_tty)
        {
            Line($"{_words[0]} {Short(descriptor)} {name}");
        }
    }

    public void Progress(Descriptor descriptor, long bytes)
    {
        if (_active.TryGetValue(descriptor.Digest, out var transfer))
        {
            Interlocked.Add(ref transfer.Bytes, bytes);
        }
    }

    public void Completed(Descriptor descriptor, string name, TransferOutcome outcome)
    {
        if (!_enabled)
        {
            return;
        }

        _active.TryRemove(descriptor.Digest, out _);
        var word = outcome switch
        {
            TransferOutcome.Transferred => _words[1],
            TransferOutcome.Exists => _words[2],
            _ => _words[3],
        };
        Line($"{word} {Short(descriptor)} {name}");
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            Erase();
        }
    }

    private static string Short(Descriptor descriptor) =>
        Digest.TryParse(descriptor.Digest, out var digest, out _) ? digest.ShortHex : descriptor.Digest;

    private void Line(string text)
    {
        lock (_gate)
        {
            if (_tty)
            {
                Erase();
                _terminal.WriteLine(text);
                Draw();
            }
            else
            {
                _lines.WriteLine(text);
            }
        }
    }

    private void Tick()
    {
        lock (_gate)
        {
            if (_tty)
            {
                Erase();
                Draw();
                return;
            }

            foreach (var transfer in _active.Values)
            {
                if (transfer.Descriptor.Size > 0)
                {
                    _lines.WriteLine($"{_words[0]} {Short(transfer.Descriptor)} {transfer.Name} {Describe(transfer)}");
                }
            }

            _lines.Flush();
        }
    }

    private void Draw()
    {
        var rows = _active.Values.ToList();
        foreach (var transfer in rows)
        {
            _terminal.WriteLine($"  {_words[0]} {transfer.Name} {Describe(transfer)}");
        }

        _drawn = rows.Count;
        _terminal.Flush();
    }

    private void Erase()
    {
        for (var i = 0; i < _drawn; i++)
        {
            // Cursor up one line, then clear it.
            _terminal.Write("\u001b[1A\u001b[2K");
        }

        _drawn = 0;
    }

    private static string Describe(Transfer transfer)
    {
        var done = Interlocked.Read(ref transfer.Bytes);
        var total = transfer.Descriptor.Size;
        var seconds = Math.Max(transfer.Clock.Elapsed.TotalSeconds, 0.001);
        var rate = done / seconds;
        var percent = total > 0 ? 100.0 * done / total : 100;
        var left = rate > 0 && total > done ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
        return FormattableString.Invariant(
            $"{Sizes.Format(done)}/{Sizes.Format(total)} {percent:0}% {Sizes.Format(rate)}/s ETA {left:mm\\:ss}");
    }

    private sealed class Transfer(string name, Descriptor descriptor, Stopwatch clock)
    {
        public long Bytes;

        public string Name { get; } = name;

        public Descriptor Descriptor { get; } = descriptor;

        public Stopwatch Clock { get; } = clock;
    }
}
