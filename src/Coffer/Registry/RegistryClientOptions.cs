using Coffer.Diagnostics;
using Coffer.Http;
using Coffer.Registry.Auth;

namespace Coffer.Registry;

/// <summary>How a <see cref="RegistryClient"/> reaches a registry.</summary>
public sealed class RegistryClientOptions
{
    /// <summary>Use plain HTTP. When null, only <c>localhost</c> uses plain HTTP, as ORAS does.</summary>
    public bool? PlainHttp { get; init; }

    /// <summary>Skip TLS certificate verification.</summary>
    public bool Insecure { get; init; }

    /// <summary>A PEM file of CA certificates to trust besides the system's.</summary>
    public string? CaFile { get; init; }

    /// <summary>A PEM client certificate for mutual TLS, offered to the registry origin only.</summary>
    public string? CertFile { get; init; }

    /// <summary>The PEM private key of <see cref="CertFile"/>.</summary>
    public string? KeyFile { get; init; }

    /// <summary>Where the credential comes from.</summary>
    public CredentialSource Credentials { get; init; } = CredentialSource.None;

    /// <summary>
    /// The prefix of the command's credential flags, for the hints of authentication errors: empty
    /// for <c>-u</c> and <c>--password-stdin</c>, or <c>from-</c> / <c>to-</c> for one side of a copy.
    /// </summary>
    public string CredentialFlagPrefix { get; init; } = "";

    /// <summary>Debug logging; off by default.</summary>
    public DebugLog Log { get; init; } = new(new Redactor(), null);

    /// <summary>Receives warnings for the user.</summary>
    public Action<string> Warn { get; init; } = _ => { };

    /// <summary>Retries.</summary>
    public RetryPolicy Retry { get; init; } = new();

    /// <summary>
    /// How long a request may wait for its answer (an upload: once its body is sent), and how long
    /// a request or response body, or a token request, may go without moving a byte.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Blobs above this size are uploaded in chunks; a push reads such a file for its digest while
    /// it uploads, instead of before.
    /// </summary>
    public long ChunkThreshold { get; init; } = 512L * 1024 * 1024;

    /// <summary>
    /// The size of one chunk of a chunked upload. A push that hashes while it uploads sends chunks
    /// of this size until it knows the registry lacks the blob, then the rest in one request, and
    /// chunks again if the registry (or a proxy) refuses that request.
    /// </summary>
    public int ChunkSize { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// Blobs up to this size are looked for with a mount from their own repository, which opens
    /// the upload session in the same request when the blob is missing; larger ones get a HEAD
    /// first, so that a registry that answers every mount with a new session never receives a
    /// large blob it already has.
    /// </summary>
    public long MountProbeLimit { get; init; } = 4L * 1024 * 1024;
}
