using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text;
using Coffer.Artifacts;
using Coffer.Content;

namespace Coffer.Cli.Output;

/// <summary>
/// Shows transfers as ORAS does. On a terminal, a live display on stderr with bytes, rate and
/// time left. Elsewhere (CI logs), one line per blob event on stdout, plus a progress line for
/// each running transfer every few seconds so a long upload never looks hung. In JSON mode, one
/// object per line on stderr for each event, with progress at most once a second per blob.
/// </summary>
/// <remarks>
/// Plain lines take ORAS's shapes, <c>&lt;action&gt; &lt;12 hex&gt; &lt;name&gt;</c> with the action padded
/// (<c>Uploading</c>, <c>Uploaded </c>, <c>Exists   </c>). A blob the registry turns out to have gets only
/// its <c>Exists</c> line: the <c>Uploading</c> line waits for the first bytes to move.
/// </remarks>
internal sealed class StatusPrinter : ITransferObserver, IDisposable
{
    // The words for: running, transferred, exists, skipped, mounted; padded to one width as ORAS pads them.
    private static readonly string[] PushWords = ["Uploading", "Uploaded ", "Exists   ", "Skipped  ", "Mounted  "];
    private static readonly string[] PullWords =
        ["Downloading", "Downloaded ", "Exists     ", "Skipped    ", "Mounted    "];
    private static readonly string[] CopyWords = ["Copying", "Copied ", "Exists ", "Skipped", "Mounted"];

    private readonly TextWriter _lines;
    private readonly TextWriter _terminal;
    private readonly bool _enabled;
    private readonly bool _tty;
    private readonly bool _json;
    private readonly long _progressEveryMs;
    private readonly string[] _words;
    private readonly ConcurrentDictionary<string, Transfer> _active = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Timer? _timer;
    private int _drawn;

    /// <param name="lines">Where plain status lines go (stdout).</param>
    /// <param name="terminal">Where the live display and JSON events go (stderr).</param>
    /// <param name="mode">What to print.</param>
    /// <param name="push">True for push words (Uploading), false for pull words (Downloading).</param>
    /// <param name="heartbeat">How often plain mode reports running transfers.</param>
    /// <param name="progressEvery">Least time between two JSON progress events of one blob (default 1 s).</param>
    public StatusPrinter(
        TextWriter lines,
        TextWriter terminal,
        ProgressMode mode,
        bool push,
        TimeSpan heartbeat,
        TimeSpan? progressEvery = null)
        : this(lines, terminal, mode, push ? PushWords : PullWords, heartbeat, progressEvery)
    {
    }

    private StatusPrinter(
        TextWriter lines,
        TextWriter terminal,
        ProgressMode mode,
        string[] words,
        TimeSpan heartbeat,
        TimeSpan? progressEvery)
    {
        _lines = lines;
        _terminal = terminal;
        _enabled = mode != ProgressMode.None;
        _tty = mode == ProgressMode.Tty;
        _json = mode == ProgressMode.Json;
        _progressEveryMs = (long)(progressEvery ?? TimeSpan.FromSeconds(1)).TotalMilliseconds;
        _words = words;
        if (_enabled && !_json)
        {
            var period = _tty ? TimeSpan.FromMilliseconds(200) : heartbeat;
            _timer = new Timer(_ => Tick(), null, period, period);
        }
    }

    /// <summary>A printer with the words of a copy: Copying, Copied, Exists, Skipped, Mounted.</summary>
    public static StatusPrinter ForCopy(TextWriter lines, TextWriter terminal, ProgressMode mode, TimeSpan heartbeat) =>
        new(lines, terminal, mode, CopyWords, heartbeat, null);

    public void Started(Descriptor descriptor, string name)
    {
        if (!_enabled)
        {
            return;
        }

        var transfer = new Transfer(_json ? name : Printable.Text(name), descriptor, Stopwatch.StartNew());
        _active[descriptor.Digest] = transfer;
        if (_json)
        {
            Event("started", transfer.Name, descriptor, 0, null, 0);
        }
    }

    public void Progress(Descriptor descriptor, long bytes)
    {
        if (_active.TryGetValue(descriptor.Digest, out var transfer))
        {
            var done = Interlocked.Add(ref transfer.Bytes, bytes);
            Announce(transfer);
            if (_json)
            {
                // Only the caller that moves the last report time forward writes, so concurrent
                // chunks of one blob never give two events within the interval.
                var now = transfer.Clock.ElapsedMilliseconds;
                var last = Interlocked.Read(ref transfer.LastReportMs);
                if (now - last >= _progressEveryMs
                    && Interlocked.CompareExchange(ref transfer.LastReportMs, now, last) == last)
                {
                    Event("progress", transfer.Name, descriptor, done, null, now);
                }
            }
        }
    }

    public void Completed(Descriptor descriptor, string name, TransferOutcome outcome)
    {
        if (!_enabled)
        {
            return;
        }

        _active.TryRemove(descriptor.Digest, out var transfer);
        if (_json)
        {
            var done = transfer is null ? 0 : Interlocked.Read(ref transfer.Bytes);
            Event("completed", name, descriptor, done, outcome, transfer?.Clock.ElapsedMilliseconds ?? 0);
            return;
        }

        if (outcome == TransferOutcome.Transferred && transfer is not null)
        {
            Announce(transfer);
        }

        var word = outcome switch
        {
            TransferOutcome.Transferred => _words[1],
            TransferOutcome.Exists => _words[2],
            TransferOutcome.Mounted => _words[4],
            _ => _words[3],
        };
        Line($"{word} {Short(descriptor)} {Printable.Text(name)}");
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
        Digest.TryParse(descriptor.Digest, out var digest, out _) ? digest.ShortHex : Printable.Text(descriptor.Digest);

    private static string OutcomeName(TransferOutcome outcome) => outcome switch
    {
        TransferOutcome.Transferred => "transferred",
        TransferOutcome.Exists => "exists",
        TransferOutcome.Mounted => "mounted",
        _ => "skipped",
    };

    private void Event(string kind, string name, Descriptor descriptor, long bytes, TransferOutcome? outcome,
        long elapsedMs)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            writer.WriteStartObject();
            writer.WriteString("event", kind);
            writer.WriteString("digest", descriptor.Digest);
            writer.WriteString("name", name);
            writer.WriteNumber("size", descriptor.Size);
            writer.WriteNumber("bytes", bytes);
            if (outcome is { } value)
            {
                writer.WriteString("outcome", OutcomeName(value));
            }

            writer.WriteNumber("elapsedMs", elapsedMs);
            writer.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.ToArray());
        lock (_gate)
        {
            _terminal.WriteLine(line);
            _terminal.Flush();
        }
    }

    // The start line of a plain-mode transfer, written once, when there is something to show for it.
    private void Announce(Transfer transfer)
    {
        if (FirstAnnouncement(transfer))
        {
            Line(StartLine(transfer));
        }
    }

    private bool FirstAnnouncement(Transfer transfer) =>
        !_json && !_tty && Interlocked.Exchange(ref transfer.Announced, 1) == 0;

    private string StartLine(Transfer transfer) => $"{_words[0]} {Short(transfer.Descriptor)} {transfer.Name}";

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
                    // A transfer quiet for a whole period (a slow answer to its HEAD) is announced here.
                    if (FirstAnnouncement(transfer))
                    {
                        _lines.WriteLine(StartLine(transfer));
                    }

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

        public long LastReportMs;

        public int Announced;

        public string Name { get; } = name;

        public Descriptor Descriptor { get; } = descriptor;

        public Stopwatch Clock { get; } = clock;
    }
}
