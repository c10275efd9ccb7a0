using Coffer.Artifacts;
using Coffer.Cli.Output;
using System.Text.Json;
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
            TextWriter.Synchronized(lines), TextWriter.Null, ProgressMode.Plain,
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
    public void PlainMode_BlobTheRegistryHas_GetsOnlyItsExistsLine()
    {
        using var lines = new StringWriter();
        using (var printer = new StatusPrinter(lines, TextWriter.Null, ProgressMode.Plain, push: true,
            heartbeat: TimeSpan.FromMinutes(1)))
        {
            printer.Started(Big, "big.bin");
            printer.Completed(Big, "big.bin", TransferOutcome.Exists);
        }

        Assert.Equal("Exists    aaaaaaaaaaaa big.bin\n", lines.ToString());
    }

    [Fact]
    public void PlainMode_TransferWithoutProgressEvents_StillPrintsItsStartLineFirst()
    {
        using var lines = new StringWriter();
        using (var printer = new StatusPrinter(lines, TextWriter.Null, ProgressMode.Plain, push: false,
            heartbeat: TimeSpan.FromMinutes(1)))
        {
            printer.Started(Big, "big.bin");
            printer.Completed(Big, "big.bin", TransferOutcome.Transferred);
        }

        Assert.Equal("Downloading aaaaaaaaaaaa big.bin\nDownloaded  aaaaaaaaaaaa big.bin\n", lines.ToString());
    }

    [Fact]
    public void None_PrintsNothing()
    {
        using var lines = new StringWriter();
        using (var printer = new StatusPrinter(lines, lines, ProgressMode.None, push: false,
            heartbeat: TimeSpan.FromMilliseconds(10)))
        {
            printer.Started(Big, "big.bin");
            printer.Progress(Big, 1024);
            printer.Completed(Big, "big.bin", TransferOutcome.Transferred);
        }

        Assert.Equal("", lines.ToString());
    }

    [Fact]
    public async Task JsonMode_WritesOneParseableObjectPerEventOnTheTerminalWriter()
    {
        using var lines = new StringWriter();
        using var events = new StringWriter();
        using (var printer = new StatusPrinter(lines, TextWriter.Synchronized(events), ProgressMode.Json,
            push: true, heartbeat: TimeSpan.FromMilliseconds(10), progressEvery: TimeSpan.FromMilliseconds(30)))
        {
            printer.Started(Big, "big.bin");
            await Task.Delay(60);
            printer.Progress(Big, 10 * 1024 * 1024);

            // Within the interval of the last report: no second progress event.
            printer.Progress(Big, 10 * 1024 * 1024);
            printer.Completed(Big, "big.bin", TransferOutcome.Transferred);
        }

        Assert.Equal("", lines.ToString());
        var parsed = events.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line))
            .ToList();
        try
        {
            Assert.Equal(
                ["started", "progress", "completed"],
                parsed.Select(d => d.RootElement.GetProperty("event").GetString()));
            foreach (var document in parsed)
            {
                var root = document.RootElement;
                Assert.Equal(Big.Digest, root.GetProperty("digest").GetString());
                Assert.Equal("big.bin", root.GetProperty("name").GetString());
                Assert.Equal(Big.Size, root.GetProperty("size").GetInt64());
                Assert.True(root.GetProperty("elapsedMs").GetInt64() >= 0);
            }

            Assert.Equal(0, parsed[0].RootElement.GetProperty("bytes").GetInt64());
            Assert.Equal(10 * 1024 * 1024, parsed[1].RootElement.GetProperty("bytes").GetInt64());
            Assert.True(parsed[1].RootElement.GetProperty("elapsedMs").GetInt64() >= 30);
            Assert.Equal(20 * 1024 * 1024, parsed[2].RootElement.GetProperty("bytes").GetInt64());
            Assert.Equal("transferred", parsed[2].RootElement.GetProperty("outcome").GetString());
            Assert.False(parsed[0].RootElement.TryGetProperty("outcome", out _));
        }
        finally
        {
            parsed.ForEach(d => d.Dispose());
        }
    }

    [Fact]
    public void JsonMode_CompletedWithoutStart_ReportsTheOutcome()
    {
        using var events = new StringWriter();
        using (var printer = new StatusPrinter(TextWriter.Null, events, ProgressMode.Json, push: false,
            heartbeat: TimeSpan.FromSeconds(5)))
        {
            printer.Completed(Big, "application/vnd.oci.image.layer.v1.tar", TransferOutcome.Skipped);
        }

        using var document = JsonDocument.Parse(events.ToString());
        Assert.Equal("completed", document.RootElement.GetProperty("event").GetString());
        Assert.Equal("skipped", document.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("application/vnd.oci.image.layer.v1.tar", document.RootElement.GetProperty("name").GetString());
    }
}
