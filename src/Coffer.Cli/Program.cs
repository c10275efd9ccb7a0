using System.Runtime.InteropServices;
using Coffer.Cli.Hosting;
using Coffer.Errors;

namespace Coffer.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Before anything builds a certificate chain: see SystemTrust for the 35 ms this saves.
        Http.SystemTrust.TakeOver();
        using var cancellation = new CancellationTokenSource();

        // Ctrl+C and SIGTERM cancel the work; the command then exits 130 after cleaning up.
        var signalled = 0;
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        var code = await CofferApp.RunAsync(args, CliContext.FromProcess(cancellation.Token)).ConfigureAwait(false);
        Console.Out.Flush();

        // 128 + the signal number, as shells report a process ended by it.
        return signalled == 0 ? code : signalled == 15 ? ExitCodes.Terminated : ExitCodes.Cancelled;

        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            signalled = context.Signal == PosixSignal.SIGTERM ? 15 : 2;
            cancellation.Cancel();
        }
    }
}
