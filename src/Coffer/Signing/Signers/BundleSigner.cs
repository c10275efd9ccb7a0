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
/// manifest digest). In-toto statements and other DSSE payloads are signed as a <c>dsseEnvelope</c>.
/// <para>Keyless (no <see cref="BundleSignerOptions.Key"/>):</para>
/// <list type="number">
/// <item>Step 1: get the OIDC identity token.</item>
/// <item>Step 2: generate an ephemeral ECDSA P-256 key.</item>
/// <item>Step 3: get a certificate for it from Fulcio.</item>
/// <item>Step 4: sign the digest (or the DSSE PAE).</item>
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

        return SignAsync(new DigestPayload(sha256), cancellationToken);
    }

    /// <summary>
    /// Signs an in-toto statement as a DSSE envelope (<c>cosign attest-blob</c>); the bundle's
    /// content is <c>dsseEnvelope</c> and the log entry is dsse 0.0.1.
    /// </summary>
    /// <exception cref="CofferException">A service failed.</exception>
    public Task<Bundle> SignStatementAsync(InTotoStatement statement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return SignDsseAsync(
            DsseEnvelope.InTotoPayloadType, BundleSerializer.SerializeStatement(statement), cancellationToken);
    }

    /// <summary>Signs any payload as a DSSE envelope with one signature over PAE(type, payload).</summary>
    /// <exception cref="CofferException">A service failed.</exception>
    public Task<Bundle> SignDsseAsync(
        string payloadType,
        ReadOnlyMemory<byte> payload,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(payloadType);
        return SignAsync(new DssePayload(payloadType, payload.ToArray()), cancellationToken);
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
        SigningPayload payload,
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

        var bundle = new Bundle { MediaType = BundleMediaTypes.V03, VerificationMaterial = material };
        payload.Fill(bundle, signature);
        return bundle;
    }

    private Task<Bundle> SignAsync(SigningPayload payload, CancellationToken cancellationToken) =>
        _options.Key is { } key
            ? SignWithKeyAsync(key, payload, cancellationToken)
            : SignKeylessAsync(payload, cancellationToken);

    private async Task<Bundle> SignKeylessAsync(SigningPayload payload, CancellationToken cancellationToken)
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
        var signature = payload.Sign(signer);

        // Step 5: the timestamp.
        var timestamp = await TimestampAsync(signature, cancellationToken).ConfigureAwait(false);

        // Step 6: the log entry, with the leaf as verifier.
        var leafPem = certificate.Leaf.ExportCertificatePem() + "\n";
        var entry = await LogAsync(payload, signature, leafPem, cancellationToken).ConfigureAwait(false);

        // Step 7: the bundle.
        var material = new VerificationMaterial
        {
            Certificate = new RawCertificate { RawBytes = certificate.Leaf.RawData },
        };
        var bundle = Assemble(material, payload, signature, entry, timestamp);

        // Step 8: the self-check; the identity is whatever Fulcio certified, the issuer must be the token's.
        SelfVerify(bundle, payload, () => VerificationPolicy.ForCertificate(
            StringMatcher.Regex(".+"), StringMatcher.Equal(token.Issuer)));
        return bundle;
    }

    private async Task<Bundle> SignWithKeyAsync(
        EcdsaSigner key,
        SigningPayload payload,
        CancellationToken cancellationToken)
    {
        var signature = payload.Sign(key);
        var timestamp = await TimestampAsync(signature, cancellationToken).ConfigureAwait(false);
        var entry = await LogAsync(payload, signature, key.PublicKeyPem, cancellationToken).ConfigureAwait(false);
        var material = new VerificationMaterial
        {
            PublicKey = new PublicKeyIdentifier { Hint = key.PublicKey.Hint },
        };
        var bundle = Assemble(material, payload, signature, entry, timestamp);

        // A bundle made without the log is checked without requiring one (cosign --insecure-ignore-tlog).
        SelfVerify(bundle, payload, () => VerificationPolicy.ForPublicKey(key.PublicKey.SubjectPublicKeyInfo.Span) with
        {
            TransparencyLogThreshold = entry is null ? 0 : 1,
            SignedTimestampThreshold = timestamp is null ? 0 : 1,
        });
        return bundle;
    }

    private void SelfVerify(Bundle bundle, SigningPayload payload, Func<VerificationPolicy> policy)
    {
        if (_options.VerifyWith is not { } root || payload.SelfCheckArtifact() is not { } artifact)
        {
            return;
        }

        try
        {
            new BundleVerifier(root).Verify(bundle, artifact, policy());
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
        SigningPayload payload,
        byte[] signature,
        string verifierPem,
        CancellationToken cancellationToken)
    {
        if (!_options.UploadToTransparencyLog)
        {
            return null;
        }

        var client = new RekorClient(_options.Services.Rekor!, _http, _options.Log);
        return await payload.LogAsync(client, signature, verifierPem, cancellationToken).ConfigureAwait(false);
    }
}
