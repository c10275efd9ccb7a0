using Coffer.Cli.Hosting;
using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;
using Coffer.Signing.Oci;
using Coffer.Signing.Signers;

namespace Coffer.Cli.Commands;

/// <summary>Signing and verifying manifests in a registry, shared by sign, verify, push and pull.</summary>
internal static class RegistrySigning
{
    /// <summary>The flag that carries a Sigstore OIDC token where --identity-token is the registry's.</summary>
    public const string TokenFlag = "oidc-identity-token";

    public static IReadOnlyList<OptionSpec> DistributionSpec { get; } =
    [
        new("distribution-spec", null, "v1.1-referrers-api|v1.1-referrers-tag",
            "how referrers are found: the referrers API or the tag schema (default: detect)"),
    ];

    public static ReferrersMode Mode(ParsedCommand parsed) => parsed.Value("distribution-spec") switch
    {
        null => ReferrersMode.Auto,
        "v1.1-referrers-api" => ReferrersMode.Api,
        "v1.1-referrers-tag" => ReferrersMode.TagSchema,
        var other => throw new UsageException(
            $"--distribution-spec must be v1.1-referrers-api or v1.1-referrers-tag, not '{other}'"),
    };

    /// <summary>Signs a manifest digest and attaches the bundle as its referrer.</summary>
    public static async Task<Descriptor> SignAsync(
        Session session, ParsedCommand parsed, Repository repository, Descriptor subject, string operation)
    {
        var cancellation = session.Context.Cancellation;
        using var signer = await SigningSetup.SignerAsync(parsed, session, TokenFlag, cancellation)
            .ConfigureAwait(false);
        return await SignAsync(signer, parsed, repository, subject, operation, cancellation).ConfigureAwait(false);
    }

    /// <summary>Signs a manifest digest with a signer set up beforehand, and attaches the bundle.</summary>
    public static async Task<Descriptor> SignAsync(
        BundleSigner signer, ParsedCommand parsed, Repository repository, Descriptor subject, string operation,
        CancellationToken cancellation)
    {
        var digest = subject.ParsedDigest();
        var bundle = await signer.SignDigestAsync(Convert.FromHexString(digest.Hex), cancellation)
            .ConfigureAwait(false);
        var signatures = new OciSignatures(repository, new Referrers(repository, Mode(parsed)));
        return await signatures.AttachAsync(subject, bundle, operation, cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// Verifies that a signature in the registry signs exactly this manifest under the caller's policy.
    /// </summary>
    public static Task<SignatureCheck> VerifyAsync(
        Session session, ParsedCommand parsed, Repository repository, Descriptor subject, string operation)
    {
        var context = session.Context;
        var policy = SigningSetup.Policy(parsed, context);
        var verifier = SigningSetup.Verifier(parsed, context);
        return new OciSignatures(repository, new Referrers(repository, Mode(parsed)))
            .VerifyAsync(subject, verifier, policy, operation, context.Cancellation);
    }

    /// <summary>Resolves a tag (or digest) to the manifest's descriptor, failing clearly when it is missing.</summary>
    public static async Task<Descriptor> ResolveAsync(Repository repository, string operation, CancellationToken token)
    {
        var reference = repository.Reference;
        var target = reference.ManifestReference
            ?? throw new UsageException($"'{reference}' names no tag or digest; add :<tag> or @sha256:<digest>");
        var descriptor = await repository.ResolveAsync(target, operation, token).ConfigureAwait(false)
            ?? throw new CofferException($"{operation}: the registry has no manifest {target}",
                "check the repository name and the tag or digest");
        if (reference.Digest is { } pinned && descriptor.Digest != pinned.ToString())
        {
            throw new CofferException($"{operation}: the registry answered {descriptor.Digest} for {pinned}",
                "the registry is not trustworthy", ExitCodes.VerificationFailed);
        }

        return descriptor;
    }
}
