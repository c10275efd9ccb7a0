using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Coffer.Credentials;

/// <summary>
/// Runs a docker credential helper (<c>docker-credential-&lt;name&gt;</c>) to get, store or
/// erase a credential.
/// </summary>
/// <remarks>
/// <para>
/// The protocol: the helper is started with one argument, <c>get</c>, <c>store</c> or
/// <c>erase</c>. For <c>get</c> and <c>erase</c> the server URL is written to its standard input;
/// for <c>store</c> a JSON object <c>{"ServerURL","Username","Secret"}</c>. <c>get</c> answers
/// with the same JSON object. A username of <c>&lt;token&gt;</c> marks the secret as an identity
/// token, and the text "credentials not found in native keychain" means there is no credential.
/// </para>
/// <para>
/// Secrets travel only on standard input, never on the command line or in the environment, where
/// other users could read them. The helper's output is never logged or quoted in messages; its
/// error stream may be, with any secret we sent removed. Each run is bounded in time and size.
/// </para>
/// </remarks>
public sealed class CredentialHelper
{
    /// <summary>The prefix of every helper program's name.</summary>
    public const string ExecutablePrefix = "docker-credential-";

    /// <summary>The username that marks a helper's secret as an identity token.</summary>
    public const string IdentityTokenUsername = "<token>";

    private const int MaxQuotedErrorLength = 200;

    private readonly CredentialHelperOptions _options;

    /// <summary>Creates a helper runner.</summary>
    /// <param name="name">The helper's suffix, for example <c>pass</c> or <c>desktop</c>.</param>
    /// <param name="configPath">The config file that names the helper, for messages.</param>
    /// <param name="configSetting">The setting that names it (<c>credsStore</c>), for messages.</param>
    /// <param name="options">Where to find helpers and how long they may run.</param>
    /// <exception cref="CredentialStoreException">The name is not a valid helper name.</exception>
    public CredentialHelper(
        string name,
        string configPath,
        string configSetting,
        CredentialHelperOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configPath);
        ArgumentNullException.ThrowIfNull(configSetting);

        ConfigPath = configPath;
        ConfigSetting = configSetting;
        _options = options ?? new CredentialHelperOptions();

        // The name comes from a file and becomes part of a program path; anything but a plain
        // word could point outside the search path.
        if (name.Length == 0 || !name.All(IsNameChar))
        {
            throw new CredentialStoreException(
                $"The credential helper named by {configSetting} in {configPath} is not a valid "
                + "helper name: use only letters, digits, '.', '_' and '-'. Fix that setting, or "
                + "use --registry-config <other file>.");
        }

        Name = name;
    }

    /// <summary>The helper's suffix.</summary>
    public string Name { get; }

    /// <summary>The program name, for example <c>docker-credential-pass</c>.</summary>
    public string ExecutableName => ExecutablePrefix + Name;

    /// <summary>The config file that names the helper.</summary>
    public string ConfigPath { get; }

    /// <summary>The setting in <see cref="ConfigPath"/> that names the helper.</summary>
    public string ConfigSetting { get; }

    /// <summary>A description for messages: <c>docker-credential-pass (configured in /path)</c>.</summary>
    public string Description => $"{ExecutableName} (configured in {ConfigPath})";

    /// <summary>Finds the helper program on the search path.</summary>
    /// <returns>Its full path, or null when it is not installed.</returns>
    public string? ResolveExecutable()
    {
        string? searchPath = _options.SearchPath ?? Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(searchPath))
        {
            return null;
        }

        string[] extensions = OperatingSystem.IsWindows() ? [".exe", ".cmd", ".bat"] : [""];
        foreach (string directory in searchPath.Split(
            System.IO.Path.PathSeparator,
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!System.IO.Path.IsPathFullyQualified(directory))
            {
                continue;
            }

            foreach (string extension in extensions)
            {
                string candidate = System.IO.Path.Combine(directory, ExecutableName + extension);
                if (IsExecutable(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Asks the helper for the credential of a server.</summary>
    /// <param name="serverUrl">The server key, for example <c>ghcr.io</c>.</param>
    /// <param name="cancellationToken">Cancels the run and kills the helper.</param>
    /// <returns>The credential, or null when the helper has none.</returns>
    /// <exception cref="CredentialStoreException">
    /// The helper is missing, failed, or gave an answer that is not the expected JSON.
    /// </exception>
    public async Task<RegistryCredential?> GetAsync(
        string serverUrl,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serverUrl);

        byte[] input = Encoding.UTF8.GetBytes(serverUrl);
        CredentialHelperRun run = await RunAsync("get", input, [], cancellationToken)
            .ConfigureAwait(false);

        // Helpers report "not found" as a failure with a known text, not as an empty answer.
        if (run.ExitCode != 0)
        {
            return run.SaysNotFound ? null : throw Failed("read", serverUrl, run);
        }

        return ParseGetOutput(serverUrl, run.Output);
    }

    /// <summary>Hands a credential to the helper to keep.</summary>
    /// <param name="serverUrl">The server key, for example <c>ghcr.io</c>.</param>
    /// <param name="credential">The credential; must hold a secret.</param>
    /// <param name="cancellationToken">Cancels the run and kills the helper.</param>
    /// <exception cref="ArgumentException">The credential is anonymous.</exception>
    /// <exception cref="CredentialStoreException">The helper is missing or failed.</exception>
    public async Task StoreAsync(
        string serverUrl,
        RegistryCredential credential,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serverUrl);
        ArgumentNullException.ThrowIfNull(credential);
        if (credential.IsAnonymous)
        {
            throw new ArgumentException(
                "An anonymous credential cannot be stored.",
                nameof(credential));
        }

        // The protocol has one secret slot; an identity token wins, as in the docker CLI.
        bool isToken = credential.IdentityToken is not null;
        string username = isToken ? IdentityTokenUsername : credential.Username ?? "";
        string secret = isToken ? credential.IdentityToken! : credential.Password!;

        byte[] input = WriteStoreInput(serverUrl, username, secret);
        try
        {
            string[] secrets = [.. credential.Secrets()];
            CredentialHelperRun run = await RunAsync("store", input, secrets, cancellationToken)
                .ConfigureAwait(false);
            if (run.ExitCode != 0)
            {
                throw Failed("store", serverUrl, run);
            }
        }
        finally
        {
            Array.Clear(input);
        }
    }

    /// <summary>Asks the helper to forget the credential of a server.</summary>
    /// <param name="serverUrl">The server key, for example <c>ghcr.io</c>.</param>
    /// <param name="cancellationToken">Cancels the run and kills the helper.</param>
    /// <returns>True when the helper erased something; false when it had nothing.</returns>
    /// <exception cref="CredentialStoreException">The helper is missing or failed.</exception>
    public async Task<bool> EraseAsync(
        string serverUrl,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serverUrl);

        byte[] input = Encoding.UTF8.GetBytes(serverUrl);
        CredentialHelperRun run = await RunAsync("erase", input, [], cancellationToken)
            .ConfigureAwait(false);

        if (run.ExitCode != 0)
        {
            return run.SaysNotFound ? false : throw Failed("erase", serverUrl, run);
        }

        return true;
    }

    private static bool IsNameChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute =
            UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }

    private static byte[] WriteStoreInput(string serverUrl, string username, string secret)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping writes "<token>" as it is; helpers read either form, people read this.
        var options = new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            writer.WriteStartObject();
            writer.WriteString("ServerURL", serverUrl);
            writer.WriteString("Username", username);
            writer.WriteString("Secret", secret);
            writer.WriteEndObject();
        }

        byte[] input = buffer.ToArray();

        // The stream's internal buffer also held the secret; wipe it before it is dropped.
        Array.Clear(buffer.GetBuffer());
        return input;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // It has already exited.
        }
    }

    private static async Task<(byte[] Data, bool Overflow)> ReadBoundedAsync(
        Stream stream,
        int limit,
        Action onOverflow,
        CancellationToken cancellationToken)
    {
        using var data = new MemoryStream();
        byte[] chunk = new byte[4096];
        while (true)
        {
            int read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (data.ToArray(), false);
            }

            if (data.Length + read > limit)
            {
                // Stop reading and kill the helper; otherwise it would block on a full pipe.
                onOverflow();
                Array.Clear(data.GetBuffer());
                return ([], true);
            }

            data.Write(chunk, 0, read);
        }
    }

    // Internal so the property tests can feed it output without running a helper.
    internal RegistryCredential? ParseGetOutput(string serverUrl, byte[] output)
    {
        if (output.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(output);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw BadAnswer(serverUrl);
            }

            string? username = ReadString(root, "Username", serverUrl);
            string? secret = ReadString(root, "Secret", serverUrl);
            if (string.IsNullOrEmpty(secret))
            {
                return null;
            }

            return username == IdentityTokenUsername
                ? new RegistryCredential(null, null, secret)
                : new RegistryCredential(username, secret, null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a name or value escapes a lone surrogate, which the
            // reader refuses only when it unescapes it. The exception text would quote the
            // output, which may hold the secret.
            throw BadAnswer(serverUrl);
        }
        finally
        {
            Array.Clear(output);
        }
    }

    private string? ReadString(JsonElement root, string property, string serverUrl)
    {
        if (!root.TryGetProperty(property, out JsonElement value)
            || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw BadAnswer(serverUrl);
    }

    private async Task<CredentialHelperRun> RunAsync(
        string verb,
        byte[] input,
        IReadOnlyList<string> secrets,
        CancellationToken cancellationToken)
    {
        string executable = ResolveExecutable() ?? throw NotInstalled();

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        start.ArgumentList.Add(verb);

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new CredentialStoreException(
                $"The credential helper {executable} could not be started: {e.Message}. "
                + Advice("make it a working executable"),
                e);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            // Both streams are drained while the input is written, so a chatty helper cannot
            // deadlock on a full pipe.
            int limit = _options.MaxOutputBytes;
            Task<(byte[] Data, bool Overflow)> output = ReadBoundedAsync(
                process.StandardOutput.BaseStream, limit, () => Kill(process), timeout.Token);
            Task<(byte[] Data, bool Overflow)> error = ReadBoundedAsync(
                process.StandardError.BaseStream, limit, () => Kill(process), timeout.Token);

            await WriteInputAsync(process, input, timeout.Token).ConfigureAwait(false);

            (byte[] outputData, bool outputOverflow) = await output.ConfigureAwait(false);
            (byte[] errorData, bool errorOverflow) = await error.ConfigureAwait(false);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);

            if (outputOverflow || errorOverflow)
            {
                Array.Clear(outputData);
                throw new CredentialStoreException(
                    $"The credential helper {ExecutableName} wrote more than "
                    + $"{_options.MaxOutputBytes} bytes and was stopped. "
                    + Advice("fix or reinstall the helper"));
            }

            string errorText = Redact(Encoding.UTF8.GetString(errorData), secrets);
            return new CredentialHelperRun(process.ExitCode, outputData, errorText);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill(process);
            double seconds = Math.Round(_options.Timeout.TotalSeconds, 1);
            string unit = seconds == 1 ? "second" : "seconds";
            throw new CredentialStoreException(
                $"The credential helper {ExecutableName} did not finish within {seconds} {unit} "
                + "and was stopped; it may be waiting for a password prompt or a locked keychain. "
                + Advice("make sure it can run unattended"));
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    private static async Task WriteInputAsync(
        Process process,
        byte[] input,
        CancellationToken cancellationToken)
    {
        try
        {
            Stream stdin = process.StandardInput.BaseStream;
            await stdin.WriteAsync(input, cancellationToken).ConfigureAwait(false);
            await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The helper quit without reading its input; its exit code says why.
        }
    }

    private static string Redact(string text, IReadOnlyList<string> secrets)
    {
        foreach (string secret in secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }

    private string Advice(string firstFix) =>
        $"It is configured by {ConfigSetting} in {ConfigPath}. To go on, {firstFix}, or remove "
        + $"{ConfigSetting} from that file, or use --registry-config <other file>, or pass "
        + "-u <user> --password-stdin to the command instead of using stored credentials.";

    private CredentialStoreException NotInstalled() =>
        new($"The credential helper {ExecutableName} was not found on PATH. "
            + Advice($"install {ExecutableName}"));

    private CredentialStoreException BadAnswer(string serverUrl) =>
        new($"The credential helper {ExecutableName} gave an answer for {serverUrl} that is "
            + $"not the expected JSON object. {Advice("fix or reinstall the helper")}");

    private CredentialStoreException Failed(
        string action,
        string serverUrl,
        CredentialHelperRun run)
    {
        // Only the first line of the error stream, trimmed: enough to tell "keychain locked"
        // from "Docker Desktop not running" without dumping whatever else the helper printed.
        string firstLine = run.Error
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault() ?? "";
        if (firstLine.Length > MaxQuotedErrorLength)
        {
            firstLine = firstLine[..MaxQuotedErrorLength] + "...";
        }

        string said = firstLine.Length > 0 ? $": {firstLine}" : "";
        return new($"The credential helper {ExecutableName} could not {action} the credential for "
            + $"{serverUrl} (exit code {run.ExitCode}){said}. "
            + Advice("fix the helper (unlock its keychain, or start the program it talks to)"));
    }
}
