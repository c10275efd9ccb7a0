using System.Text;

namespace Coffer.Cli.Output;

/// <summary>Writes content bytes to stdout, unchanged.</summary>
internal static class BinaryOutput
{
    public static async Task WriteAsync(Hosting.CliContext context, Stream content)
    {
        await context.Stdout.FlushAsync(context.Cancellation).ConfigureAwait(false);
        if (context.OpenStdout is null)
        {
            using var reader = new StreamReader(content, Encoding.UTF8, leaveOpen: true);
            await context.Stdout.WriteAsync(
                await reader.ReadToEndAsync(context.Cancellation).ConfigureAwait(false)).ConfigureAwait(false);
            return;
        }

        var stdout = context.OpenStdout();
        await using (stdout.ConfigureAwait(false))
        {
            await content.CopyToAsync(stdout, context.Cancellation).ConfigureAwait(false);
            await stdout.FlushAsync(context.Cancellation).ConfigureAwait(false);
        }
    }

    public static async Task WriteAsync(Hosting.CliContext context, byte[] content)
    {
        using var stream = new MemoryStream(content, writable: false);
        await WriteAsync(context, stream).ConfigureAwait(false);
    }
}
