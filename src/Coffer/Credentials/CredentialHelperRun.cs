using System.Text;

namespace Coffer.Credentials;

/// <summary>What one credential helper run produced.</summary>
/// <param name="ExitCode">The helper's exit code.</param>
/// <param name="Output">Its standard output. May hold a secret: never log or quote it.</param>
/// <param name="Error">Its standard error, with the secrets we sent replaced by <c>***</c>.</param>
internal sealed record CredentialHelperRun(int ExitCode, byte[] Output, string Error)
{
    private const string NotFoundText = "credentials not found in native keychain";

    /// <summary>
    /// True when the helper said it has no credential. The text may come on either stream:
    /// helpers built on docker-credential-helpers print their errors on standard output.
    /// </summary>
    public bool SaysNotFound =>
        Error.Contains(NotFoundText, StringComparison.OrdinalIgnoreCase)
        || Encoding.UTF8.GetString(Output)
            .Contains(NotFoundText, StringComparison.OrdinalIgnoreCase);
}
