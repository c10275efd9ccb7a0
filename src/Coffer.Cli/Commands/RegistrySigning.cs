using Coffer.Cli.Hosting;
using Coffer.Cli.Parsing;
using Coffer.Content;
using Coffer.Errors;
using Coffer.Registry;
using Coffer.Signing.Oci;
using Coffer.Signing.Signers;
using Coffer.Targets;

namespace Coffer.Cli.Commands;

/// <summary>
/// Signing and verifying manifests in a registry or a layout, shared by sign, verify, push and pull.
/// </summary>
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
        Session session, ParsedCommand parsed, ITarget target, Descriptor subject, string operation)
    {
        var cancellation = session.Context.Cancellation;
        using var signer = await SigningSetup.SignerAsync(parsed, session, TokenFlag, cancellation)
            .ConfigureAwait(false);
        return await SignAsync(signer, parsed, target, subject, operation, cancellation).ConfigureAwait(false);
    }

    /// <summary>Signs a manifest digest with a signer set up beforehand, and attaches the bundle.</summary>
    public static async Task<Descriptor> SignAsync(
        BundleSigner signer, ParsedCommand parsed, ITarget target, Descriptor subject, string operation,
        CancellationToken cancellation)
    {
        var digest = subject.ParsedDigest();
        var bundle = await signer.SignDigestAsync(Convert.FromHexString(digest.Hex), cancellation)
            .ConfigureAwait(false);
        var signatures = new OciSignatures(target, new Referrers(target, Mode(parsed)));
        return await signatures.AttachAsync(subject, bundle, operation, cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// Verifies that a signature beside the manifest signs exactly it under the caller's policy.
    /// </summary>
    public static Task<SignatureCheck> VerifyAsync(
        Session session, ParsedCommand parsed, ITarget target, Descriptor subject, string operation)
    {
        var context = session.Context;
        var policy = SigningSetup.Policy(parsed, context);
        var verifier = SigningSetup.Verifier(parsed, context);
        return new OciSignatures(target, new Referrers(target, Mode(parsed)))
            .VerifyAsync(subject, verifier, policy, operation, context.Cancellation);
    }

    /// <summary>Resolves a tag (or digest) to the manifest's descriptor, failing clearly when it is missing.</summary>
    public static async Task<Descriptor> ResolveAsync(CommandTarget target, string operation, CancellationToken token)
    {
        var argument = target.Argument;
        var reference = argument.RequireManifestReference();
        var descriptor = await target.Target.ResolveAsync(reference, operation, token).ConfigureAwait(false)
            ?? throw argument.MissingManifest(reference, operation);
        if (argument.Digest is { } pinned && descriptor.Digest != pinned.ToString())
        {
            throw new CofferException($"{operation}: the {argument.Noun} answered {descriptor.Digest} for {pinned}",
                $"the {argument.Noun} is not trustworthy", ExitCodes.VerificationFailed);
        }

        return descriptor;
    }
}
