using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Coffer.Testing.Internal;

namespace Coffer.Testing;

/// <summary>
/// A real CNCF distribution registry (<c>docker-registry serve</c>) running as a child process on
/// 127.0.0.1 with its own port, config and storage in a temporary folder.
/// <list type="number">
/// <item>Step 1: make the folder, the credentials (htpasswd, certificates, token server) and the YAML config.</item>
/// <item>Step 2: start the process on a free port and wait until GET /v2/ answers 200 or 401.</item>
/// <item>Step 3: collect the access log from stdout into <see cref="RequestLog"/>.</item>
/// </list>
/// Many servers may run in parallel; dispose each one to kill it and delete its folder.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private const string ProbeAgent = "coffer-testing-probe";
    private const int StderrTailLines = 60;
    private const int StderrKeptLines = 200_000;
    private const int MaxStartAttempts = 5;

    private readonly Lock _gate = new();
    private readonly List<RegistryRequest> _requestLog = [];
    private readonly Queue<string> _stderrTail = new();
    private readonly List<string> _stderrAll = [];
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _markers = new();
    private readonly string _executable;
    private readonly string _configPath;
    private readonly string _secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private readonly RegistryServerOptions _options;
    private readonly TestCertificates? _certificates;
    private HttpClient? _probe;
    private Process? _process;
    private int _port;

    private RegistryServer(
        RegistryMode mode,
        RegistryServerOptions options,
        string executable,
        string dataDirectory,
        string username,
        string password,
        TestCertificates? certificates,
        TokenServer? tokenServer)
    {
        Mode = mode;
        _options = options;
        _executable = executable;
        DataDirectory = dataDirectory;
        Username = username;
        Password = password;
        _certificates = certificates;
        TokenServer = tokenServer;
        _configPath = Path.Combine(dataDirectory, "config.yml");
    }

    /// <summary>The authentication mode.</summary>
    public RegistryMode Mode { get; }

    /// <summary>The registry address as a client writes it in a reference: <c>127.0.0.1:PORT</c>.</summary>
    public string Host => $"127.0.0.1:{_port}";

    /// <summary><c>http://127.0.0.1:PORT/</c>, or <c>https://</c> in Tls mode.</summary>
    public Uri BaseUri => new($"{(Mode == RegistryMode.Tls ? "https" : "http")}://{Host}/");

    /// <summary>The user name that Basic, Tls and Token modes accept.</summary>
    public string Username { get; }

    /// <summary>The password for <see cref="Username"/>; random per server unless set in the options.</summary>
    public string Password { get; }

    /// <summary>PEM file of the CA that signed the server certificate (Tls mode), else null.</summary>
    public string? CaCertificatePath => _certificates?.CaCertificatePath;

    /// <summary>The CA, server and (with mutual TLS) client certificates in Tls mode, else null.</summary>
    public TestCertificates? Certificates => _certificates;

    /// <summary>The token server the registry trusts (Token mode), else null.</summary>
    public TokenServer? TokenServer { get; }

    /// <summary>The server's temporary folder: config, credentials and <c>storage/</c>.</summary>
    public string DataDirectory { get; }

    /// <summary>The registry's blob and manifest storage folder.</summary>
    public string StorageDirectory => Path.Combine(DataDirectory, "storage");

    /// <summary>The process id of the running registry.</summary>
    public int ProcessId
    {
        get
        {
            lock (_gate)
            {
                return _process?.Id ?? throw new InvalidOperationException("The registry is not running.");
            }
        }
    }

    /// <summary>True while the registry process is alive.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasExited: false };
            }
        }
    }

    /// <summary>
    /// The requests the registry logged, oldest first, without the fixture's own probes.
    /// A line is written just after the response is sent; use <see cref="FlushRequestLogAsync"/>
    /// before counting.
    /// </summary>
    public IReadOnlyList<RegistryRequest> RequestLog
    {
        get
        {
            lock (_gate)
            {
                return [.. _requestLog];
            }
        }
    }

    /// <summary>
    /// Everything the registry wrote to stderr (its own log, which names the users it authenticated
    /// and, for a failed login, the user tried), up to 200,000 lines.
    /// </summary>
    public string ErrorOutput
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _stderrAll);
            }
        }
    }

    /// <summary>The last lines the registry wrote to stderr (its own log), for diagnostics.</summary>
    public string ErrorOutputTail
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _stderrTail);
            }
        }
    }

    /// <summary>Starts a registry in <paramref name="mode"/> and waits until it answers.</summary>
    /// <exception cref="MissingToolException">docker-registry (or htpasswd) is not installed.</exception>
    /// <exception cref="InvalidOperationException">The registry did not start; the message has its stderr.</exception>
    public static async Task<RegistryServer> StartAsync(
        RegistryMode mode,
        RegistryServerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new RegistryServerOptions();
        var executable = ToolCheck.Require(ToolCheck.DockerRegistry);
        var dataDirectory = Directory.CreateTempSubdirectory("coffer-registry-").FullName;
        var username = options.Username ?? "coffer";
        var password = options.Password ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

        TestCertificates? certificates = null;
        TokenServer? tokenServer = null;
        RegistryServer? server = null;
        try
        {
            if (mode is RegistryMode.Basic or RegistryMode.Tls)
            {
                await WriteHtpasswdAsync(dataDirectory, username, password, cancellationToken);
            }

            if (mode == RegistryMode.Tls)
            {
                certificates = TestCertificates.Create(
                    Path.Combine(dataDirectory, "certs"), options.RequireClientCertificate);
            }

            if (mode == RegistryMode.Token)
            {
                var tokenOptions = options.TokenServer?.Clone() ?? new TokenServerOptions();
                tokenOptions.SigningCertificateDirectory ??= dataDirectory;
                tokenOptions.Users.TryAdd(username, new TokenUser(password));
                tokenServer = await TokenServer.StartAsync(tokenOptions, cancellationToken);
            }

            server = new RegistryServer(
                mode, options, executable, dataDirectory, username, password, certificates, tokenServer);
            await server.StartOnFreePortAsync(cancellationToken);
            return server;
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            else
            {
                certificates?.Dispose();
                if (tokenServer is not null)
                {
                    await tokenServer.DisposeAsync();
                }

                DeleteDirectory(dataDirectory);
            }

            throw;
        }
    }

    /// <summary>
    /// An HTTP handler that can talk to this registry: in Tls mode it trusts only the test CA and,
    /// with mutual TLS, presents the client certificate. It adds no credentials.
    /// </summary>
    public HttpMessageHandler CreateHttpHandler() =>
        _certificates?.CreateHttpHandler(_options.RequireClientCertificate) ?? new SocketsHttpHandler();

    /// <summary>
    /// Sends a marker request and waits until its log line appears, so every request answered before
    /// this call is in <see cref="RequestLog"/>. Returns the log.
    /// </summary>
    public async Task<IReadOnlyList<RegistryRequest>> FlushRequestLogAsync(
        CancellationToken cancellationToken = default)
    {
        var marker = Guid.NewGuid().ToString("N");
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _markers[marker] = seen;
        try
        {
            await SendProbeAsync(marker, cancellationToken);
            await seen.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
        finally
        {
            _markers.TryRemove(marker, out _);
        }

        return RequestLog;
    }

    /// <summary>Forgets the logged requests, e.g. after a test's setup steps.</summary>
    public void ClearRequestLog()
    {
        lock (_gate)
        {
            _requestLog.Clear();
        }
    }

    /// <summary>Kills the registry with SIGKILL (no graceful shutdown) and waits for it to exit.</summary>
    public void Kill()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
        }

        if (process is not null)
        {
            ChildProcesses.KillQuietly(process);
        }
    }

    /// <summary>Kills the registry if it runs, then starts it again on the same port and storage.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        Kill();
        DetachProcess();

        // The port was just released; a fresh listener normally binds at once, but allow a retry.
        for (var attempt = 1; ; attempt++)
        {
            var failure = await TryStartProcessAsync(cancellationToken);
            if (failure is null)
            {
                return;
            }

            if (!failure.Contains("address already in use", StringComparison.Ordinal) || attempt == MaxStartAttempts)
            {
                throw new InvalidOperationException(failure);
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>Kills the registry and its token server and deletes the temporary folder.</summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        DetachProcess();
        _probe?.Dispose();
        _certificates?.Dispose();

        if (TokenServer is not null)
        {
            await TokenServer.DisposeAsync();
        }

        DeleteDirectory(DataDirectory);
    }

    private static async Task WriteHtpasswdAsync(
        string directory,
        string username,
        string password,
        CancellationToken cancellationToken)
    {
        var htpasswd = ToolCheck.Require(ToolCheck.Htpasswd);
        var start = new ProcessStartInfo(htpasswd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-Bbn", username, password })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("Could not start htpasswd.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"htpasswd -Bbn failed with exit code {process.ExitCode}: {await error}");
        }

        await File.WriteAllTextAsync(
            Path.Combine(directory, "htpasswd"), (await output).Trim() + "\n", cancellationToken);
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder does not fail a test.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private async Task StartOnFreePortAsync(CancellationToken cancellationToken)
    {
        _probe = new HttpClient(CreateHttpHandler()) { Timeout = TimeSpan.FromSeconds(5) };
        _probe.DefaultRequestHeaders.UserAgent.ParseAdd(ProbeAgent);

        for (var attempt = 1; ; attempt++)
        {
            _port = PortAllocator.Next();
            await File.WriteAllTextAsync(_configPath, BuildConfig(), cancellationToken);

            var failure = await TryStartProcessAsync(cancellationToken);
            if (failure is null)
            {
                return;
            }

            // Another program may have taken the port between our probe and the registry's bind.
            if (!failure.Contains("address already in use", StringComparison.Ordinal) || attempt == MaxStartAttempts)
            {
                throw new InvalidOperationException(failure);
            }

            DetachProcess();
        }
    }

    private string BuildConfig()
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("# Written by Coffer.Testing.RegistryServer for one test registry.");
        yaml.AppendLine("version: 0.1");
        yaml.AppendLine("log:");
        yaml.AppendLine("  level: info");
        yaml.AppendLine("  formatter: text");
        yaml.AppendLine("  fields:");
        yaml.AppendLine("    service: coffer-test-registry");
        yaml.AppendLine("storage:");
        yaml.AppendLine("  filesystem:");
        yaml.AppendLine($"    rootdirectory: {Quote(StorageDirectory)}");
        yaml.AppendLine("  delete:");
        yaml.AppendLine("    enabled: true");
        yaml.AppendLine("  cache:");
        yaml.AppendLine("    blobdescriptor: inmemory");
        yaml.AppendLine("  maintenance:");
        yaml.AppendLine("    uploadpurging:");
        yaml.AppendLine("      enabled: false");
        yaml.AppendLine("http:");
        yaml.AppendLine($"  addr: {Host}");
        yaml.AppendLine($"  secret: {_secret}");
        yaml.AppendLine("  headers:");
        yaml.AppendLine("    X-Content-Type-Options: [nosniff]");

        if (_certificates is not null)
        {
            yaml.AppendLine("  tls:");
            yaml.AppendLine($"    certificate: {Quote(_certificates.ServerCertificatePath)}");
            yaml.AppendLine($"    key: {Quote(_certificates.ServerKeyPath)}");
            if (_options.RequireClientCertificate)
            {
                yaml.AppendLine("    clientcas:");
                yaml.AppendLine($"      - {Quote(_certificates.CaCertificatePath)}");
            }
        }

        if (Mode is RegistryMode.Basic or RegistryMode.Tls)
        {
            yaml.AppendLine("auth:");
            yaml.AppendLine("  htpasswd:");
            yaml.AppendLine("    realm: coffer-test");
            yaml.AppendLine($"    path: {Quote(Path.Combine(DataDirectory, "htpasswd"))}");
        }

        if (TokenServer is not null)
        {
            yaml.AppendLine("auth:");
            yaml.AppendLine("  token:");
            yaml.AppendLine($"    realm: {Quote(TokenServer.Realm.ToString())}");
            yaml.AppendLine($"    service: {Quote(TokenServer.Service)}");
            yaml.AppendLine($"    issuer: {Quote(TokenServer.Issuer)}");
            yaml.AppendLine($"    rootcertbundle: {Quote(TokenServer.SigningCertificatePath)}");
        }

        return yaml.ToString();
    }

    /// <summary>Starts the process and waits for it; returns null when ready, else a failure message.</summary>
    private async Task<string?> TryStartProcessAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = DataDirectory,
        };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(_configPath);

        var inherited = start.Environment.Keys
            .Where(k => k.StartsWith("REGISTRY_", StringComparison.Ordinal))
            .ToList();
        foreach (var key in inherited)
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in _options.Environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) => OnStderr(e.Data);
        process.Start();
        ChildProcesses.Track(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        lock (_gate)
        {
            _process = process;
        }

        return await WaitUntilReadyAsync(process, cancellationToken);
    }

    private async Task<string?> WaitUntilReadyAsync(Process process, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var lastProblem = "no answer yet";

        while (deadline.Elapsed < _options.StartTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();

            if (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken);
                return Failure($"docker-registry exited with code {process.ExitCode} during start-up");
            }

            try
            {
                var status = await SendProbeAsync(marker: null, cancellationToken);
                if (status is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return null;
                }

                lastProblem = $"GET /v2/ answered {(int)status}";
            }
            catch (HttpRequestException e)
            {
                lastProblem = e.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastProblem = "GET /v2/ timed out";
            }

            await Task.Delay(50, cancellationToken);
        }

        ChildProcesses.KillQuietly(process);
        return Failure($"docker-registry did not answer GET /v2/ within {_options.StartTimeout} ({lastProblem})");
    }

    private string Failure(string what) =>
        $"{what}. Mode {Mode}, address {BaseUri}, config {_configPath}. Registry stderr (last lines):\n"
        + ErrorOutputTail;

    private async Task<HttpStatusCode> SendProbeAsync(string? marker, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUri, "v2/"));
        if (marker is not null)
        {
            request.Headers.UserAgent.Clear();
            request.Headers.UserAgent.ParseAdd($"{ProbeAgent}/{marker}");
        }

        using var response = await _probe!.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    private void OnStdout(string? line)
    {
        if (line is null || AccessLogParser.TryParse(line) is not { } entry)
        {
            return;
        }

        if (entry.UserAgent.StartsWith(ProbeAgent, StringComparison.Ordinal))
        {
            var slash = entry.UserAgent.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && _markers.TryGetValue(entry.UserAgent[(slash + 1)..], out var seen))
            {
                seen.TrySetResult();
            }

            return;
        }

        lock (_gate)
        {
            _requestLog.Add(entry);
        }
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_stderrAll.Count < StderrKeptLines)
            {
                _stderrAll.Add(line);
            }

            _stderrTail.Enqueue(line);
            while (_stderrTail.Count > StderrTailLines)
            {
                _stderrTail.Dequeue();
            }
        }
    }

    private void DetachProcess()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
            _process = null;
        }

        if (process is not null)
        {
            ChildProcesses.KillQuietly(process);
            ChildProcesses.Forget(process);
            process.Dispose();
        }
    }
}
