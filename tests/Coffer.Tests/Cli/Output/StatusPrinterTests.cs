using Coffer.Artifacts;
using Coffer.Cli.Output;
using Coffer.Content;

namespace Coffer.Tests.Cli.Output;

public sealed class StatusPrinterTests
{
    private static readonly Descriptor Big = new()
    {
        MediaType = MediaTypes.LayerTar,
        Digest = "sha256:" + new string('a', 64),
        Size = 100 * 1024 * 1024,
    };

    [Fact]
    public async Task PlainMode_LongTransfer_PrintsAHeartbeatWithBytesAndRate()
    {
        using var lines = new StringWriter();
        using (var printer = new StatusPrinter(
            TextWriter.Synchronized(lines), TextWriter.Null, enabled: true, tty: false,
            push: true, heartbeat: TimeSpan.FromMilliseconds(50)))
        {
            printer.Started(Big, "big.bin");
            printer.Progress(Big, 50 * 1024 * 1024);

            // The heartbeat comes from a timer; give a busy machine time to run it.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!lines.ToString().Contains(" 50%", StringComparison.Ordinal)
                && clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }

            printer.Completed(Big, "big.bin", TransferOutcome.Transferred);
        }

        var text = lines.ToString();
        Assert.StartsWith("Uploading aaaaaaaaaaaa big.bin\n", text, StringComparison.Ordinal);
        Assert.Contains("Uploading aaaaaaaaaaaa big.bin 50.0 MiB/100.0 MiB 50%", text, StringComparison.Ordinal);
        Assert.EndsWith("Uploaded  aaaaaaaaaaaa big.bin\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Disabled_PrintsNothing()
    {
        using var lines = new StringWriter();
        using (var printer = new StatusPrinter(lines, lines, enabled: false, tty: false, push: false,
            heartbeat: TimeSpan.FromMilliseconds(10)))
        {
            printer.Started(Big, "big.bin");
            printer.Completed(Big, "big.bin", TransferOutcome.Transferred);
        }

        Assert.Equal("", lines.ToString());
    }
}
