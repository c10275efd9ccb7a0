using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Coffer.Testing.Sigstore.Internal;

/// <summary>
/// Builds the Fulcio identity extensions (OID arc 1.3.6.1.4.1.57264.1) and the SAN from the
/// claims of a verified token. .1–.6 hold raw strings; .8 and later hold DER UTF8Strings.
/// </summary>
internal static class FulcioExtensions
{
    /// <summary>The server URL Fulcio puts before GitHub paths (a name here, never contacted).</summary>
    public const string GitHubServerUrl = "https://github.com";

    private const string Arc = "1.3.6.1.4.1.57264.1.";

    /// <summary>The identity Fulcio certifies: the SAN to write and the proof-of-possession subject.</summary>
    public static (X509Extension San, string ProofSubject) Identity(JsonElement claims)
    {
        var builder = new SubjectAlternativeNameBuilder();
        var workflowRef = JwtVerifier.String(claims, "job_workflow_ref");
        if (workflowRef is not null)
        {
            builder.AddUri(new Uri($"{GitHubServerUrl}/{workflowRef}"));
            return (builder.Build(critical: true), JwtVerifier.String(claims, "sub") ?? "");
        }

        var email = JwtVerifier.String(claims, "email");
        if (email is not null)
        {
            var verified = claims.TryGetProperty("email_verified", out var flag)
                && flag.ValueKind == JsonValueKind.True;
            if (!verified)
            {
                throw new InvalidDataException("the token's email is not verified");
            }

            builder.AddEmailAddress(email);
            return (builder.Build(critical: true), email);
        }

        throw new InvalidDataException("the token carries neither an email nor GitHub workflow claims");
    }

    public static List<X509Extension> Create(string issuer, JsonElement claims)
    {
        var extensions = new List<X509Extension>
        {
            Raw(1, issuer),
            Utf8(8, issuer),
        };

        string? Claim(string name) => JwtVerifier.String(claims, name);
        if (Claim("job_workflow_ref") is null)
        {
            return extensions;
        }

        // Deprecated raw GitHub extensions, still read by cosign's --certificate-github-workflow-*.
        AddRaw(extensions, 2, Claim("event_name"));
        AddRaw(extensions, 3, Claim("sha"));
        AddRaw(extensions, 4, Claim("workflow"));
        AddRaw(extensions, 5, Claim("repository"));
        AddRaw(extensions, 6, Claim("ref"));

        var repository = Claim("repository");
        AddUtf8(extensions, 9, Prefixed(Claim("job_workflow_ref")));
        AddUtf8(extensions, 10, Claim("job_workflow_sha"));
        AddUtf8(extensions, 11, Claim("runner_environment"));
        AddUtf8(extensions, 12, Prefixed(repository));
        AddUtf8(extensions, 13, Claim("sha"));
        AddUtf8(extensions, 14, Claim("ref"));
        AddUtf8(extensions, 15, Claim("repository_id"));
        AddUtf8(extensions, 16, Prefixed(Claim("repository_owner")));
        AddUtf8(extensions, 17, Claim("repository_owner_id"));
        AddUtf8(extensions, 18, Prefixed(Claim("workflow_ref")));
        AddUtf8(extensions, 19, Claim("workflow_sha"));
        AddUtf8(extensions, 20, Claim("event_name"));
        if (repository is not null && Claim("run_id") is { } runId && Claim("run_attempt") is { } attempt)
        {
            AddUtf8(extensions, 21, $"{GitHubServerUrl}/{repository}/actions/runs/{runId}/attempts/{attempt}");
        }

        AddUtf8(extensions, 22, Claim("repository_visibility"));
        AddUtf8(extensions, 23, Claim("environment"));
        return extensions;
    }

    private static string? Prefixed(string? path) => path is null ? null : $"{GitHubServerUrl}/{path}";

    private static void AddRaw(List<X509Extension> extensions, int arc, string? value)
    {
        if (value is not null)
        {
            extensions.Add(Raw(arc, value));
        }
    }

    private static void AddUtf8(List<X509Extension> extensions, int arc, string? value)
    {
        if (value is not null)
        {
            extensions.Add(Utf8(arc, value));
        }
    }

    private static X509Extension Raw(int arc, string value) =>
        new(Arc + arc, Encoding.UTF8.GetBytes(value), critical: false);

    private static X509Extension Utf8(int arc, string value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
        return new X509Extension(Arc + arc, writer.Encode(), critical: false);
    }
}
