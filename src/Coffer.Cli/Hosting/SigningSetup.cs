using Coffer.Cli.Parsing;
using Coffer.Errors;
using Coffer.Signing.Keyless;
using Coffer.Signing.Keys;
using Coffer.Signing.Services;
using Coffer.Signing.Signers;
using Coffer.Signing.Trust;
using Coffer.Signing.Verification;

namespace Coffer.Cli.Hosting;

/// <summary>
/// The signing and verification flags, named as cosign names them, and what they build: a
/// <see cref="BundleSigner"/> (keyless or with a key) and a <see cref="BundleVerifier"/> with a policy.
/// </summary>
internal static class SigningSetup
{
    /// <summary>Signing flags. <paramref name="tokenFlag"/> names the OIDC token flag.</summary>
    public static IReadOnlyList<OptionSpec> SignOptions(string tokenFlag) =>
    [
        new("key", null, "path", "sign with this cosign private key (COSIGN_PASSWORD or a prompt unlocks it)"),
        new(tokenFlag, null, "token",
            "OIDC identity token for keyless signing (default SIGSTORE_ID_TOKEN or GitHub Actions)"),
        new("fulcio-url", null, "url", "Fulcio certificate authority (default from the signing config)"),
        new("rekor-url", null, "url", "Rekor transparency log (default from the signing config)"),
        new("timestamp-server-url", null, "url", "RFC 3161 timestamp authority to add a signed timestamp"),
        new("signing-config", null, "path", "Sigstore signing_config.json naming the services (default public-good)"),
        new("tlog-upload", null, null, "record the signature in the transparency log (default true; =false to skip)"),
        new("trusted-root", null, "path",
            "trusted_root.json to check the new bundle against (default: public-good, when it signed)"),
    ];

    /// <summary>Verification flags.</summary>
    public static readonly IReadOnlyList<OptionSpec> VerifyOptions =
    [
        new("key", null, "path", "verify with this public key (PEM) instead of a certificate identity"),
        new("certificate-identity", null, "identity", "the signer's exact identity (SAN: email or URI)"),
        new("certificate-identity-regexp", null, "regexp", "a regular expression the whole identity must match"),
        new("certificate-oidc-issuer", null, "url", "the exact OIDC issuer of the signer's identity"),
        new("certificate-oidc-issuer-regexp", null, "regexp", "a regular expression the whole issuer must match"),
        new("github-workflow", null, "owner/repo/.github/workflows/file[@ref]",
            "shortcut: the identity of that GitHub Actions workflow and the GitHub issuer"),
        new("trusted-root", null, "path",
            "trusted_root.json to verify against (default: the embedded public-good root)"),
        new("insecure-ignore-tlog", null, null,
            "with --key: accept a bundle that was never recorded in a transparency log"),
    ];

    public static async Task<BundleSigner> SignerAsync(
        ParsedCommand parsed, Session session, string tokenFlag, CancellationToken cancellationToken)
    {
        var context = session.Context;
        var config = parsed.Value("signing-config") is { } configPath
            ? SigningConfig.ReadFile(Path.GetFullPath(configPath, context.WorkingDirectory))
            : SigningConfig.PublicGood;
        var services = config.Resolve(
            new SigningServiceOverrides
            {
                FulcioUrl = Url(parsed, "fulcio-url"),
                RekorUrl = Url(parsed, "rekor-url"),
                TimestampUrl = Url(parsed, "timestamp-server-url"),
            },
            DateTimeOffset.UtcNow);

        // A timestamp authority is used when one is asked for; the public-good default names one,
        // but the transparency log's signed time already serves the default flow.
        if (!parsed.Has("signing-config") && !parsed.Has("timestamp-server-url"))
        {
            services = services with { Timestamp = null };
        }

        EcdsaSigner? key = null;
        IdentityTokenSource? tokens = null;
        var http = SigstoreHttp.CreateClient();
        if (parsed.Value("key") is { } keyPath)
        {
            if (!File.Exists(Path.GetFullPath(keyPath, context.WorkingDirectory)))
            {
                throw new UsageException($"--key {keyPath}: no such file");
            }

            // The key code never echoes the password; it is not added to the mask, which would
            // garble messages that happen to contain the same word.
            var password = new KeyPassword(context.Environment, context.StdinIsTerminal ? context.ReadSecret : null)
                .Resolve();
            using var privateKey = await CosignPrivateKey.LoadFileAsync(
                Path.GetFullPath(keyPath, context.WorkingDirectory), password, cancellationToken).ConfigureAwait(false);
            key = privateKey.CreateSigner();
        }
        else
        {
            var explicitToken = parsed.Value(tokenFlag);
            session.Redactor.AddSecret(explicitToken);
            tokens = new IdentityTokenSource(explicitToken, context.Environment, http, session.Log);
        }

        return new BundleSigner(new BundleSignerOptions
        {
            Services = services,
            Key = key,
            IdentityTokens = tokens,
            UploadToTransparencyLog = parsed.OptionalFlag("tlog-upload") ?? true,
            VerifyWith = SelfCheckRoot(parsed, context),
            HttpClient = http,
            Log = session.Log,
        });
    }

    public static BundleVerifier Verifier(ParsedCommand parsed, CliContext context) =>
        new(TrustedRootFrom(parsed, context));

    /// <summary>The caller's policy; the bundle never chooses how it is checked.</summary>
    public static VerificationPolicy Policy(ParsedCommand parsed, CliContext context)
    {
        parsed.Exclusive("certificate-identity", "certificate-identity-regexp");
        parsed.Exclusive("certificate-oidc-issuer", "certificate-oidc-issuer-regexp");
        var identityGiven = parsed.Has("certificate-identity") || parsed.Has("certificate-identity-regexp");
        var issuerGiven = parsed.Has("certificate-oidc-issuer") || parsed.Has("certificate-oidc-issuer-regexp");
        if (parsed.Value("key") is { } keyPath)
        {
            if (identityGiven || issuerGiven || parsed.Has("github-workflow"))
            {
                throw new UsageException("--key cannot be combined with certificate identity flags");
            }

            var keyPolicy = PublicKeyPolicy(Path.GetFullPath(keyPath, context.WorkingDirectory), keyPath);

            // A key proves who signed without a log; the log adds when, and public auditability.
            return parsed.Flag("insecure-ignore-tlog") ? keyPolicy with { TransparencyLogThreshold = 0 } : keyPolicy;
        }

        if (parsed.Flag("insecure-ignore-tlog"))
        {
            throw new UsageException(
                "--insecure-ignore-tlog goes with --key only: a short-lived certificate needs a logged signing time");
        }

        if (parsed.Value("github-workflow") is { } workflow)
        {
            if (identityGiven || issuerGiven)
            {
                throw new UsageException("--github-workflow already sets the identity and issuer; drop the others");
            }

            try
            {
                return VerificationPolicy.GitHubWorkflow(workflow);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--github-workflow: {e.Message}");
            }
        }

        if (!identityGiven || !issuerGiven)
        {
            throw new UsageException(
                "say whom to trust: --certificate-identity (or -regexp) with --certificate-oidc-issuer (or -regexp), " +
                "or --github-workflow <owner>/<repo>/.github/workflows/<file>, or --key <public key>");
        }

        var identity = parsed.Value("certificate-identity") is { } exact
            ? StringMatcher.Equal(exact)
            : Pattern("certificate-identity-regexp", parsed.Value("certificate-identity-regexp")!);
        var issuer = parsed.Value("certificate-oidc-issuer") is { } exactIssuer
            ? StringMatcher.Equal(exactIssuer)
            : Pattern("certificate-oidc-issuer-regexp", parsed.Value("certificate-oidc-issuer-regexp")!);
        return VerificationPolicy.ForCertificate(identity, issuer);
    }

    /// <summary>True when any verification flag was given, so a command can insist on --verify.</summary>
    public static bool AnyVerifyOption(ParsedCommand parsed) =>
        VerifyOptions.Any(o => o.Long != "trusted-root" && parsed.Has(o.Long));

    /// <summary>True when any signing flag was given, so a command can insist on --sign.</summary>
    public static bool AnySignOption(ParsedCommand parsed, string tokenFlag) =>
        SignOptions(tokenFlag).Any(o => parsed.Has(o.Long));

    private static StringMatcher Pattern(string flag, string pattern)
    {
        try
        {
            return StringMatcher.Regex(pattern);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--{flag} '{pattern}' is not a valid regular expression: {e.Message}");
        }
    }

    private static VerificationPolicy PublicKeyPolicy(string path, string given)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"--key {given}: no such file");
        }

        try
        {
            return VerificationPolicy.ForPublicKeyPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or CofferException
            or System.Security.Cryptography.CryptographicException)
        {
            throw new UsageException(
                $"--key {given} is not a PEM public key (verification takes the .pub file, not the private key)");
        }
    }

    /// <summary>Says what was verified: who signed (or which key), when, and where it was logged.</summary>
    public static void Describe(TextWriter output, VerificationResult result)
    {
        if (result.SignerIdentity is not null)
        {
            output.WriteLine($"Signer: {result.SignerIdentity}");
            output.WriteLine($"Issuer: {result.Issuer}");
        }
        else
        {
            output.WriteLine($"Key: {result.KeyFingerprint}");
        }

        foreach (var time in result.VerifiedTimes)
        {
            var source = time.Source == TimestampSource.TransparencyLog ? "transparency log" : "timestamp authority";
            output.WriteLine(
                $"Signed at: {time.Time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} ({source} {time.Authority})");
        }

        foreach (var entry in result.LogEntries)
        {
            output.WriteLine($"Log entry: {entry.LogUrl ?? entry.LogId} index {entry.LogIndex}");
        }
    }

    // The new bundle is checked against --trusted-root, or against the public-good root when the
    // public-good services signed; private services with no root given have nothing to check against.
    private static TrustedRoot? SelfCheckRoot(ParsedCommand parsed, CliContext context) =>
        parsed.Has("trusted-root") || !(parsed.Has("signing-config") || parsed.Has("fulcio-url")
            || parsed.Has("rekor-url") || parsed.Has("timestamp-server-url"))
            ? TrustedRootFrom(parsed, context)
            : null;

    private static TrustedRoot TrustedRootFrom(ParsedCommand parsed, CliContext context)
    {
        if (parsed.Value("trusted-root") is not { } path)
        {
            return TrustedRootSerializer.PublicGood;
        }

        var full = Path.GetFullPath(path, context.WorkingDirectory);
        if (!File.Exists(full))
        {
            throw new UsageException($"--trusted-root {path}: no such file");
        }

        try
        {
            return TrustedRootSerializer.ReadFile(full);
        }
        catch (TrustedRootFormatException e)
        {
            throw new UsageException($"--trusted-root {path} is not a usable trusted_root.json: {e.Message}");
        }
    }

    private static Uri? Url(ParsedCommand parsed, string name)
    {
        var value = parsed.Value(name);
        if (value is null)
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? uri
            : throw new UsageException($"--{name} '{value}' is not an http(s) URL");
    }
}
