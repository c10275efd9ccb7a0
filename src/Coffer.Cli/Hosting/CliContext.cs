namespace Coffer.Cli.Hosting;

/// <summary>
/// Everything a command may touch of its process: streams, environment, folders and terminal
/// state. Tests build their own, so commands run in-process without sharing global state.
/// </summary>
internal sealed class CliContext
{
    /// <summary>
    /// Standard input. The console's reader is made on first use: making it sets up the terminal,
    /// which commands that never read stdin need not wait for.
    /// </summary>
    public required Func<TextReader> Stdin { get; init; }

    public required TextWriter Stdout { get; init; }

    public required TextWriter Stderr { get; init; }

    /// <summary>
    /// Opens stdout for bytes (a fetched blob or manifest). When null, bytes are written to
    /// <see cref="Stdout"/> as UTF-8 text, which is what in-process test runs capture.
    /// </summary>
    public Func<Stream>? OpenStdout { get; init; }

    public required Func<string, string?> Environment { get; init; }

    public required string WorkingDirectory { get; init; }

    public required string HomeDirectory { get; init; }

    public bool StdinIsTerminal { get; init; }

    /// <summary>True when the process was started with stdin closed.</summary>
    public bool StdinIsClosed { get; init; }

    public bool StderrIsTerminal { get; init; }

    /// <summary>Reads a line from the terminal without echoing it.</summary>
    public Func<string, string?> ReadSecret { get; init; } = _ => null;

    /// <summary>Reads a line from the terminal.</summary>
    public Func<string, string?> ReadLine { get; init; } = _ => null;

    public CancellationToken Cancellation { get; init; }

    /// <summary>Masks every secret this run learns, in all output.</summary>
    public Diagnostics.Redactor Redactor { get; } = new();

    /// <summary>The process environment, as a real run sees it.</summary>
    public static CliContext FromProcess(CancellationToken cancellation)
    {
        var closed = StdinProbe.WasClosed();
        return new CliContext
        {
            Stdin = closed ? () => TextReader.Null : () => Console.In,
            StdinIsClosed = closed,
            Stdout = Console.Out,
            OpenStdout = Console.OpenStandardOutput,
            Stderr = Console.Error,
            Environment = System.Environment.GetEnvironmentVariable,
            WorkingDirectory = Directory.GetCurrentDirectory(),
            HomeDirectory = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile),
            StdinIsTerminal = !Console.IsInputRedirected,
            StderrIsTerminal = !Console.IsErrorRedirected,
            ReadSecret = Terminal.ReadSecret,
            ReadLine = prompt =>
            {
                Console.Error.Write(prompt);
                return Console.ReadLine();
            },
            Cancellation = cancellation,
        };
    }
}
