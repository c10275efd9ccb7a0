using System.Diagnostics;
using Coffer.Cli;
using Coffer.Cli.Hosting;

namespace Coffer.Tests.Cli;

/// <summary>
/// Runs coffer in its own sandbox: a fresh HOME, DOCKER_CONFIG, TMPDIR and working directory,
/// and an environment that holds only what the test sets (plus PATH). Runs either in-process,
/// which is fast, or as a real child process, where a test needs the whole program.
/// </summary>
public sealed class CofferRunner : IDisposable
{
    public CofferRunner()
    {
        Root = Directory.CreateTempSubdirectory("coffer-run-").FullName;
        Home = Directory.CreateDirectory(Path.Combine(Root, "home")).FullName;
        DockerConfig = Directory.CreateDirectory(Path.Combine(Root, "docker-config")).FullName;
        TempDirectory = Directory.CreateDirectory(Path.Combine(Root, "tmp")).FullName;
        WorkingDirectory = Directory.CreateDirectory(Path.Combine(Root, "work")).FullName;
        Environment["HOME"] = Home;
        Environment["DOCKER_CONFIG"] = DockerConfig;
        Environment["TMPDIR"] = TempDirectory;
        Environment["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        Environment["HTTPS_PROXY"] = NoOutsideNetwork.DeadProxy;
        Environment["HTTP_PROXY"] = NoOutsideNetwork.DeadProxy;
        Environment["NO_PROXY"] = NoOutsideNetwork.Loopback;
    }

    public string Root { get; }

    public string Home { get; }

    public string DockerConfig { get; }

    public string TempDirectory { get; }

    public string WorkingDirectory { get; }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public string ConfigFile => Path.Combine(DockerConfig, "config.json");

    /// <summary>Writes a file under the working directory and returns its path.</summary>
    public string WriteFile(string relativePath, byte[] content)
    {
        var path = Path.Combine(WorkingDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public Task<CliResult> RunAsync(params string[] args) => PipeAsync("", args);

    /// <summary>Runs coffer in-process with <paramref name="stdin"/> piped in.</summary>
    public async Task<CliResult> PipeAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = new StringReader(stdin);
        var context = new CliContext
        {
            Stdin = () => reader,
            Stdout = TextWriter.Synchronized(output),
            Stderr = TextWriter.Synchronized(error),
            Environment = name => Environment.TryGetValue(name, out var value) ? value : null,
            WorkingDirectory = WorkingDirectory,
            HomeDirectory = Home,
        };
        var code = await CofferApp.RunAsync(args, context);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Starts coffer as a child process (the built coffer.dll under the dotnet host).</summary>
    public Process Start(string stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = WorkingDirectory,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "coffer.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Clear();
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(start)!;
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Runs coffer as a child process to the end.</summary>
    public async Task<CliResult> RunProcessAsync(string stdin, params string[] args)
    {
        using var process = Start(stdin, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
