namespace Coffer.Credentials;

/// <summary>How credential helper programs are found and how long they may run.</summary>
public sealed class CredentialHelperOptions
{
    /// <summary>The default time a helper may take: 30 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The directories to search for <c>docker-credential-*</c> programs, in <c>PATH</c> format.
    /// Null means this process's <c>PATH</c>. Empty and relative entries are skipped, so a helper
    /// is never picked up from the current directory.
    /// </summary>
    public string? SearchPath { get; init; }

    /// <summary>The time a helper may take before it is killed.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The most bytes read from a helper's output or error stream.</summary>
    public int MaxOutputBytes { get; init; } = 64 * 1024;
}
