using System.Text;

namespace Coffer.Tests.Output;

/// <summary>
/// Compares what a command printed with a file in <c>tests/Coffer.Tests/Output/Golden</c>, after replacing
/// the values no run can repeat (the registry's port, temporary paths, signatures, times) with placeholders.
/// To accept new output, run the tests with <c>COFFER_UPDATE_GOLDEN=1</c>: each golden test then rewrites
/// its file from what the command printed, and passes. Review the diff before committing it.
/// </summary>
public static class GoldenFile
{
    public const string UpdateVariable = "COFFER_UPDATE_GOLDEN";

    /// <summary>The golden files' folder in the source tree (not the build output), so updates land in git.</summary>
    public static string Folder { get; } = FindFolder();

    /// <summary>Fails, with a diff, unless <paramref name="actual"/> matches the file after substitution.</summary>
    /// <param name="name">The file name, such as <c>push.json</c>.</param>
    /// <param name="actual">The command's output.</param>
    /// <param name="variables">Each value to replace and its placeholder; longer values are replaced first.</param>
    public static void AssertMatches(string name, string actual, params (string Value, string Placeholder)[] variables)
    {
        var normalized = Normalize(actual, variables);
        var path = Path.Combine(Folder, name);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, normalized);
            return;
        }

        if (!File.Exists(path))
        {
            Assert.Fail($"No golden file {path}. Run the tests with {UpdateVariable}=1 to write it from this " +
                $"output, then review it:\n{normalized}");
        }

        var expected = File.ReadAllText(path);
        if (expected != normalized)
        {
            Assert.Fail(Diff(path, expected, normalized));
        }
    }

    /// <summary>The text with every variable replaced, longest first so no value is cut by a shorter one.</summary>
    public static string Normalize(string text, IEnumerable<(string Value, string Placeholder)> variables)
    {
        foreach (var (value, placeholder) in variables.Where(v => v.Value.Length > 0)
            .OrderByDescending(v => v.Value.Length))
        {
            text = text.Replace(value, placeholder, StringComparison.Ordinal);
        }

        return text;
    }

    private static string Diff(string path, string expected, string actual)
    {
        var want = expected.Split('\n');
        var got = actual.Split('\n');
        var first = 0;
        while (first < want.Length && first < got.Length && want[first] == got[first])
        {
            first++;
        }

        var text = new StringBuilder();
        text.AppendLine($"Output differs from {path} at line {first + 1}.");
        text.AppendLine($"If the change is intended, run the tests with {UpdateVariable}=1 and review the diff.");
        for (var i = Math.Max(0, first - 2); i < Math.Min(Math.Max(want.Length, got.Length), first + 6); i++)
        {
            var left = i < want.Length ? want[i] : "<end of file>";
            var right = i < got.Length ? got[i] : "<end of output>";
            text.AppendLine(left == right ? $"  {left}" : $"- {left}\n+ {right}");
        }

        text.AppendLine("--- the whole output, after substitution:");
        text.Append(actual);
        return text.ToString();
    }

    private static string FindFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Coffer.slnx")))
            {
                return Path.Combine(folder.FullName, "tests", "Coffer.Tests", "Output", "Golden");
            }
        }

        throw new InvalidOperationException(
            $"no Coffer.slnx above {AppContext.BaseDirectory}; the golden tests run from a build in the source tree");
    }
}
