namespace Coffer.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        Console.Out.WriteLine("coffer");
        return args.Length;
    }
}
