using System.Security.Cryptography;
using Coffer.Errors;
using Coffer.Signing.Bundles;
using Coffer.Signing.Keyless;
using Coffer.Signing.Keys;
using Coffer.Signing.Services;
using Coffer.Signing.Verification;

namespace Coffer.Signing.Signers;

/// <summary>
/// Makes v0.3 Sigstore bundles with a <c>messageSignature</c> over SHA-256, as <c>cosign sign-blob
/// --bundle</c> does. The input is a file, a stream or a SHA-256 digest (for an OCI artifact: the
/// manifest digest).
/// <para>Keyless (no <see cref="BundleSignerOptions.Key"/>):</para>
/// <list type="number">
/// <item>Step 1: get the OIDC identity token.</item>
/// <item>Step 2: generate an ephemeral ECDSA P-256 key.</item>
/// <item>Step 3: get a certificate for it from Fulcio.</item>
/// <item>Step 4: sign the digest.</item>
/// <item>Step 5: timestamp the signature at the TSA, when one is configured.</item>
/// <item>Step 6: log the signature with the PEM leaf certificate in Rekor, unless disabled.</item>
/// <item>Step 7: assemble the bundle: the leaf only (never the chain or root), the log entry, the timestamp.</item>
/// <item>Step 8: verify it against <see cref="BundleSignerOptions.VerifyWith"/>, when given.</item>
/// </list>
/// <para>With a key: sign, timestamp (optional), log with the PEM public key (unless disabled), and
/// name the key by its hint, base64 SHA-256 of its SPKI.</para>
/// </summary>
public sealed class BundleSigner : IDisposable
{
    private readonly BundleSignerOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Creates a signer.</summary>
    /// <exception cref="CofferException">The options cannot produce a verifiable bundle.</exception>
    public BundleSigner(BundleSignerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Services);
        if (options.Key is null)
        {
            if (options.IdentityTokens is null)
            {
                throw new ArgumentException("keyless signing needs IdentityTokens", nameof(options));
            }

            if (options.Services.Fulcio is null)
            {
                throw new CofferException("keyless signing needs a Fulcio URL", "Pass --fulcio-url.", ExitCodes.Usage);
            }

            if (!(options.UploadToTransparencyLog && options.Services.Rekor is not null)
                && options.Services.Timestamp is null)
            {
                throw new CofferException(
                    "keyless signing without a transparency log needs a timestamp authority",
                    "A short-lived certificate is only checkable with a proven signing time: keep the Rekor "
                    + "upload or pass --timestamp-server-url.",
                    ExitCodes.Usage);
            }
        }

        if (options.UploadToTransparencyLog && options.Services.Rekor is null)
        {
            throw new CofferException(
                "no Rekor URL is configured", "Pass --rekor-url, or disable the transparency log upload.",
                ExitCodes.Usage);
        }

        _options = options;
        _ownsHttp = options.HttpClient is null;
        _http = options.HttpClient ?? SigstoreHttp.CreateClient();
    }

    /// <summary>Signs a file's contents.</summary>
    /// <exception cref="CofferException">The file cannot be read, or a service failed.</exception>
    public async Task<Bundle> SignFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] digest;
        try
        {
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                digest = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CofferException($"{path} could not be read: {e.Message}");
        }

        return await SignDigestAsync(digest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signs the bytes of a stream, read to its end.</summary>
    /// <exception cref="CofferException">A service failed.</exception>
    public async Task<Bundle> SignStreamAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var digest = await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false);
        return await SignDigestAsync(digest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Signs a SHA-256 digest. The signature is the same as over the bytes it digests, so a verifier
    /// given those bytes (or <c>sha256:HEX</c>) accepts it.
    /// </summary>
    /// <exception cref="ArgumentException">The digest is not 32 bytes.</exception>
    /// <exception cref="CofferException">A service failed.</exception>
    public Task<Bundle> SignDigestAsync(ReadOnlyMemory<byte> sha256, CancellationToken cancellationToken = default)
    {
        if (sha256.Length != 32)
        {
            throw new ArgumentException("a SHA-256 digest has 32 bytes", nameof(sha256));
        }

        return _options.Key is { } key
            ? SignWithKeyAsync(key, sha256, cancellationToken)
            : SignKeylessAsync(sha256, cancellationToken);
    }

    /// <summary>Disposes the HTTP client if the signer made it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static Bundle Assemble(
        VerificationMaterial material,
        ReadOnlyMemory<byte> sha256,
        byte[] signature,
        TransparencyLogEntry? entry,
        byte[]? timestamp)
    {
        material.TlogEntries = entry is null ? [] : [entry];
        if (timestamp is not null)
        {
            material.TimestampVerificationData = new TimestampVerificationData
            {
                Rfc3161Timestamps = [new Rfc3161Timestamp { SignedTimestamp = timestamp }],
            };
        }

        return new Bundle
        {
            MediaType = BundleMediaTypes.V03,
            VerificationMaterial = material,
            MessageSignature = new MessageSignature
            {
                MessageDigest = new HashOutput { Algorithm = "SHA2_256", Digest = sha256.ToArray() },
                Signature = signature,
            },
        };
    }

    private async Task<Bundle> SignKeylessAsync(ReadOnlyMemory<byte> sha256, CancellationToken cancellationToken)
    {
        // Step 1: the identity token.
        var token = await _options.IdentityTokens!.GetTokenAsync(cancellationToken).ConfigureAwait(false);

        // Step 2: the ephemeral key, dropped when this method returns.
        using var signer = EcdsaSigner.Generate();

        // Step 3: the certificate.
        var fulcio = new FulcioClient(_options.Services.Fulcio!, _http, _options.Log);
        using var certificate = await fulcio.RequestCertificateAsync(token, signer, cancellationToken)
            .ConfigureAwait(false);

        // Step 4: the signature.
        var signature = signer.SignDigest(sha256.Span);

        // Step 5: the timestamp.
        var timestamp = await TimestampAsync(signature, cancellationToken).ConfigureAwait(false);

        // Step 6: the log entry, with the leaf as verifier.
        var entry = await LogAsync(sha256, signature, certificate.Leaf.ExportCertificatePem() + "\n", cancellationToken)
            .ConfigureAwait(false);

        // Step 7: the bundle.
        var material = new VerificationMaterial
        {
            Certificate = new RawCertificate { RawBytes = certificate.Leaf.RawData },
        };
        var bundle = Assemble(material, sha256, signature, entry, timestamp);

        // Step 8: the self-check; the identity is whatever Fulcio certified, the issuer must be the token's.
        SelfVerify(bundle, sha256, () => VerificationPolicy.ForCertificate(
            StringMatcher.Regex(".+"), StringMatcher.Equal(token.Issuer)));
        return bundle;
    }

    private async Task<Bundle> SignWithKeyAsync(
        EcdsaSigner key,
        ReadOnlyMemory<byte> sha256,
        CancellationToken cancellationToken)
    {
        var signature = key.SignDigest(sha256.Span);
        var timestamp = await TimestampAsync(signature, cancellationToken).ConfigureAwait(false);
        var entry = await LogAsync(sha256, signature, key.PublicKeyPem, cancellationToken).ConfigureAwait(false);
        var material = new VerificationMaterial
        {
            PublicKey = new PublicKeyIdentifier { Hint = key.PublicKey.Hint },
        };
        var bundle = Assemble(material, sha256, signature, entry, timestamp);
        if (entry is not null)
        {
            SelfVerify(bundle, sha256, () => VerificationPolicy.ForPublicKey(key.PublicKey.SubjectPublicKeyInfo.Span));
        }

        return bundle;
    }

    private void SelfVerify(Bundle bundle, ReadOnlyMemory<byte> sha256, Func<VerificationPolicy> policy)
    {
        if (_options.VerifyWith is not { } root)
        {
            return;
        }

        try
        {
            new BundleVerifier(root).Verify(
                bundle, VerificationArtifact.FromDigest("sha256:" + Convert.ToHexStringLower(sha256.Span)), policy());
        }
        catch (VerificationException e)
        {
            throw new CofferException(
                $"the new bundle does not verify against the trusted root: {e.Message}",
                "The services that signed are not the ones the trusted root names; check --signing-config, "
                + "--trusted-root and the service URLs.");
        }
    }

    private async Task<byte[]?> TimestampAsync(byte[] signature, CancellationToken cancellationToken)
    {
        if (_options.Services.Timestamp is not { } url)
        {
            return null;
        }

        var client = new TimestampClient(url, _http, _options.Log);
        return await client.TimestampAsync(signature, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TransparencyLogEntry?> LogAsync(
        ReadOnlyMemory<byte> sha256,
        byte[] signature,
        string verifierPem,
        CancellationToken cancellationToken)
    {
        if (!_options.UploadToTransparencyLog)
        {
            return null;
        }

        var client = new RekorClient(_options.Services.Rekor!, _http, _options.Log);
        return await client.UploadHashedRekordAsync(sha256, signature, verifierPem, cancellationToken)
            .ConfigureAwait(false);
    }
}
