namespace Coffer.Tests.Credentials;

/// <summary>
/// Writes a fake <c>docker-credential-NAME</c> bash script into a directory used as the helper
/// search path. The script records its arguments, its input and its environment next to itself,
/// so tests can check what the helper was given.
/// </summary>
internal static class FakeHelper
{
    /// <summary>
    /// A helper that keeps one credential in <c>stored.json</c>: <c>store</c> writes its input
    /// there, <c>get</c> prints it back, <c>erase</c> deletes it; a missing file is reported
    /// with the standard "not found" text on standard output and exit code 1.
    /// </summary>
    public const string Keeping = """
        case "$verb" in
          get)
            if [ -f "$dir/stored.json" ]; then cat "$dir/stored.json"
            else echo "credentials not found in native keychain"; exit 1; fi ;;
          store)
            printf '%s' "$input" > "$dir/stored.json" ;;
          erase)
            if [ -f "$dir/stored.json" ]; then rm "$dir/stored.json"
            else echo "credentials not found in native keychain"; exit 1; fi ;;
        esac
        """;

    public static string Write(string directory, string name, string body)
    {
        string path = Path.Combine(directory, "docker-credential-" + name);
        string script = "#!/usr/bin/env bash\n"
            + "dir=\"$(dirname \"$0\")\"\n"
            + "verb=\"$1\"\n"
            + "input=\"$(cat)\"\n"
            + "printf '%s\\n' \"$*\" >> \"$dir/args.log\"\n"
            + "printf '%s' \"$input\" > \"$dir/$verb.in\"\n"
            + "env > \"$dir/env.log\"\n"
            + body.ReplaceLineEndings("\n") + "\n";
        File.WriteAllText(path, script);

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(
                path,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    public static string Recorded(string directory, string file)
    {
        string path = Path.Combine(directory, file);
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }
}
