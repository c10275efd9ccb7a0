namespace Coffer.Testing.Sigstore.Servers;

/// <summary>The claims of one ID token made by <see cref="TestOidcIssuer"/>.</summary>
public sealed record OidcTokenClaims
{
    /// <summary>The <c>sub</c> claim.</summary>
    public required string Subject { get; init; }

    /// <summary>The <c>aud</c> claim; Fulcio requires <c>sigstore</c>.</summary>
    public string Audience { get; init; } = "sigstore";

    /// <summary>The <c>email</c> claim, or null.</summary>
    public string? Email { get; init; }

    /// <summary>The <c>email_verified</c> claim (written only with <see cref="Email"/>).</summary>
    public bool EmailVerified { get; init; } = true;

    /// <summary>How long the token is valid; negative values make an expired token.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Further string claims, such as the GitHub Actions workflow claims.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    /// <summary>Claims of an email identity, as Google or Dex issue them.</summary>
    public static OidcTokenClaims ForEmail(string email) => new()
    {
        Subject = "subject-" + email.GetHashCode(StringComparison.Ordinal).ToString("x8",
            System.Globalization.CultureInfo.InvariantCulture),
        Email = email,
    };

    /// <summary>
    /// Claims shaped like a GitHub Actions token for a push to <paramref name="gitRef"/> running
    /// <paramref name="workflowPath"/> in <paramref name="repository"/>.
    /// </summary>
    public static OidcTokenClaims ForGitHubWorkflow(
        string repository = "coffer-test/example",
        string workflowPath = ".github/workflows/release.yml",
        string gitRef = "refs/heads/main",
        string sha = "0123456789abcdef0123456789abcdef01234567")
    {
        var owner = repository.Split('/')[0];
        var workflowRef = $"{repository}/{workflowPath}@{gitRef}";
        return new OidcTokenClaims
        {
            Subject = $"repo:{repository}:ref:{gitRef}",
            Extra = new Dictionary<string, string>
            {
                ["repository"] = repository,
                ["repository_id"] = "100200300",
                ["repository_owner"] = owner,
                ["repository_owner_id"] = "400500",
                ["repository_visibility"] = "public",
                ["ref"] = gitRef,
                ["sha"] = sha,
                ["workflow"] = "Release",
                ["workflow_ref"] = workflowRef,
                ["workflow_sha"] = sha,
                ["job_workflow_ref"] = workflowRef,
                ["job_workflow_sha"] = sha,
                ["event_name"] = "push",
                ["run_id"] = "7000000001",
                ["run_attempt"] = "1",
                ["runner_environment"] = "github-hosted",
            },
        };
    }
}
