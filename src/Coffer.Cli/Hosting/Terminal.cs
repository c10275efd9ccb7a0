using System.Text;

namespace Coffer.Cli.Hosting;

/// <summary>Terminal input helpers.</summary>
internal static class Terminal
{
    /// <summary>Prompts on stderr and reads a line without echoing it.</summary>
    public static string? ReadSecret(string prompt)
    {
        Console.Error.Write(prompt);
        var builder = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return builder.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (builder.Length > 0)
                {
                    builder.Length--;
                }

                continue;
            }

            if (!char.IsControl(key.KeyChar))
            {
                builder.Append(key.KeyChar);
            }
        }
    }
}
