using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Coffer.Diagnostics;
using Coffer.Errors;
using Coffer.Http;
using Coffer.Registry.Auth;

namespace Coffer.Registry;

/// <summary>
/// Sends requests to one registry origin: attaches credentials (to that origin only), answers
/// 401 challenges once, follows redirects without carrying credentials to other origins and
/// never from HTTPS down to HTTP, and retries throttling, gateway errors and dropped connections
/// within the bounds of the <see cref="RetryPolicy"/>.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private const int MaxRedirects = 5;

    private readonly HttpClient _http;
    private readonly AuthSession _auth;
    private readonly RetryPolicy _retry;
    private readonly DebugLog _log;
    private readonly IReadOnlyList<string> _scopes;
    private readonly TimeSpan _timeout;
    private readonly SemaphoreSlim _firstContact = new(1, 1);
    private volatile bool _contacted;
    private long _requestCount;

    public RegistryTransport(
        HttpClient http, Uri origin, AuthSession auth, IReadOnlyList<string> scopes, RetryPolicy retry, DebugLog log,
        TimeSpan timeout)
    {
        _timeout = timeout;
        _http = http;
        BaseUri = origin;
        _auth = auth;
        _scopes = scopes;
        _retry = retry;
        _log = log;
    }

    /// <summary>The registry origin.</summary>
    public Uri BaseUri { get; }

    public DebugLog Log => _log;

    /// <summary>How many HTTP requests this transport has sent.</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    public async Task<HttpResponseMessage> SendAsync(RegistryRequest request, CancellationToken cancellationToken)
    {
        if (_contacted)
        {
            return await SendCoreAsync(request, cancellationToken).ConfigureAwait(false);
        }

        // Until the first exchange has settled how to authenticate, requests go one at a time, so
        // parallel uploads do not each collect a 401 and a token of their own. Without a credential
        // there is nothing to settle and they go at once: an open registry answers them all, and an
        // anonymous token is still fetched once, the session holding the others until it has it.
        if (!await _auth.MayAuthenticateAsync().WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            return await SendCoreAsync(request, cancellationToken).ConfigureAwait(false);
        }

        await _firstContact.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await SendCoreAsync(request, cancellationToken).ConfigureAwait(false);
            _contacted = true;
            return response;
        }
        finally
        {
            _firstContact.Release();
        }
    }

    private async Task<HttpResponseMessage> SendCoreAsync(RegistryRequest request, CancellationToken cancellationToken)
    {
        var uri = request.Uri;
        var method = request.Method;
        var withBody = request.Content is not null;
        var redirects = 0;
        var attempt = 0;
        var authRetried = false;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        while (true)
        {
            using var message = new HttpRequestMessage(method, uri);
            if (request.Accept is not null)
            {
                message.Headers.TryAddWithoutValidation("Accept", request.Accept);
            }

            foreach (var (name, value) in request.Headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }

            // Every request waits at most the timeout for its answer: body-less ones from the start,
            // uploads from the moment their last byte went out. An upload's body must also keep
            // moving: the deadline is pushed forward each time part of it goes out.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (withBody)
            {
                message.Content = new SentSignalContent(request.Content!(), () => ArmDeadline(deadline));
            }
            else
            {
                deadline.CancelAfter(_timeout);
            }

            // Credentials belong to the registry origin and go nowhere else.
            var sameOrigin = Origin.Same(uri, BaseUri);
            var authorization = sameOrigin ? _auth.GetAuthorization(_scopes) : null;
            message.Headers.Authorization = authorization;

            var id = Interlocked.Increment(ref _requestCount);
            if (_log.IsEnabled)
            {
                _log.Write(HttpTrace.Request(id, message, _log.Redactor));
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                _log.Write($"<-- #{id} {method} failed: {e.Message}");
                var tls = IsTlsFailure(e);
                if (!tls && request.Idempotent && attempt < _retry.MaxRetries && clock.Elapsed < _retry.MaxTotalDelay)
                {
                    attempt++;
                    await WaitAsync(attempt, null, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw new TransportException(
                    $"{request.Operation}: {method} {_log.Redactor.Url(uri)}: {Describe(e)}" +
                    (attempt > 0 ? $" (after {attempt} retries)" : ""),
                    tls
                        ? "the TLS handshake failed: if the registry speaks plain HTTP, add --plain-http; if it " +
                            "uses a private CA, pass it with --ca-file"
                        : "check that the registry is reachable and running; rerun the command to try again");
            }

            if (_log.IsEnabled)
            {
                _log.Write(HttpTrace.Response(id, response, _log.Redactor));
            }


            if (response.StatusCode == HttpStatusCode.Unauthorized && sameOrigin && !authRetried)
            {
                var challenges = AuthChallenge.Parse(response.Headers.WwwAuthenticate.Select(h => h.ToString()));
                if (await _auth.AuthenticateAsync(challenges, _scopes, authorization, request.Operation,
                    cancellationToken).ConfigureAwait(false))
                {
                    authRetried = true;
                    response.Dispose();
                    continue;
                }

                return response;
            }

            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                var target = location.IsAbsoluteUri ? location : new Uri(uri, location);
                if (uri.Scheme == "https" && target.Scheme != "https")
                {
                    response.Dispose();
                    throw new CofferException(
                        $"{request.Operation}: {method} {_log.Redactor.Url(uri)} redirected from HTTPS to " +
                        $"{_log.Redactor.Url(target)}; refusing the downgrade",
                        "the registry or a proxy in front of it is misconfigured");
                }

                if (++redirects > MaxRedirects)
                {
                    response.Dispose();
                    throw new CofferException(
                        $"{request.Operation}: {method} {_log.Redactor.Url(request.Uri)}: "
                        + $"more than {MaxRedirects} redirects");
                }

                if (response.StatusCode == HttpStatusCode.SeeOther)
                {
                    method = HttpMethod.Get;
                    withBody = false;
                }

                response.Dispose();
                uri = target;
                continue;
            }

            // A 500 on a read is often a race inside the registry (distribution's filesystem driver
            // answers 500 while a tag is being rewritten); reading again is harmless.
            var readRace = response.StatusCode == HttpStatusCode.InternalServerError
                && (method == HttpMethod.Get || method == HttpMethod.Head);
            if ((RetryPolicy.IsRetryable(response.StatusCode) || readRace)
                && (request.Idempotent || response.StatusCode is HttpStatusCode.TooManyRequests
                    or HttpStatusCode.ServiceUnavailable)
                && attempt < _retry.MaxRetries && clock.Elapsed < _retry.MaxTotalDelay)
            {
                attempt++;
                var retryAfter = response.Headers.RetryAfter;
                response.Dispose();
                await WaitAsync(attempt, retryAfter, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (request.BufferLimit is not { } limit || !response.IsSuccessStatusCode)
            {
                return response;
            }

            // A body that stalls or breaks off is a failed answer, retried like one.
            try
            {
                await BodyBuffer.BufferAsync(response, limit, _timeout, cancellationToken).ConfigureAwait(false);
                return response;
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                response.Dispose();
                _log.Write($"<-- #{id} {method} body failed: {Describe(e)}");
                if (request.Idempotent && attempt < _retry.MaxRetries && clock.Elapsed < _retry.MaxTotalDelay)
                {
                    attempt++;
                    await WaitAsync(attempt, null, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw new TransportException(
                    $"{request.Operation}: {method} {_log.Redactor.Url(uri)}: {Describe(e)}" +
                    (attempt > 0 ? $" (after {attempt} retries)" : ""),
                    "check that the registry is reachable and running; rerun the command to try again");
            }
        }
    }

    public void Dispose() => _firstContact.Dispose();

    private void ArmDeadline(CancellationTokenSource deadline)
    {
        try
        {
            deadline.CancelAfter(_timeout);
        }
        catch (ObjectDisposedException)
        {
            // The answer came before the body was done (a 413, say); there is nothing to wait for.
        }
    }

    /// <summary>Sends <c>GET /v2/</c> and fails unless the registry accepts it.</summary>
    public async Task PingAsync(string operation, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            new RegistryRequest
            {
                Method = HttpMethod.Get,
                Uri = new Uri(BaseUri, "/v2/"),
                Operation = operation,
                Idempotent = true,
            },
            cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, operation, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a registry error body and throws it as a <see cref="RegistryException"/>.</summary>
    public async Task<RegistryException> ErrorAsync(
        HttpResponseMessage response, string operation, string? hint, CancellationToken cancellationToken)
    {
        var (errors, body) = await ReadErrorsAsync(response, _timeout, cancellationToken).ConfigureAwait(false);
        var request = response.RequestMessage!;
        hint ??= HintFor(response.StatusCode, errors, operation, request.Headers.Authorization is not null,
            _auth.FlagPrefix);
        if (hint is null && response.StatusCode == HttpStatusCode.BadRequest && errors.Count == 0
            && request.RequestUri?.Scheme == "http" && body.Contains("HTTPS", StringComparison.Ordinal))
        {
            hint = "the registry speaks HTTPS; drop --plain-http";
        }
        return new RegistryException(
            operation, request.Method.Method, _log.Redactor.Url(request.RequestUri), response.StatusCode, errors, hint);
    }

    private static string? HintFor(
        HttpStatusCode status, IReadOnlyList<RegistryError> errors, string operation, bool sentCredential,
        string flagPrefix)
    {
        bool Has(string code) => errors.Any(e => e.Code == code);
        if (status == HttpStatusCode.Unauthorized || status == HttpStatusCode.Forbidden)
        {
            if (errors.Any(e => e.Message?.Contains("insufficient", StringComparison.OrdinalIgnoreCase) == true)
                || status == HttpStatusCode.Forbidden)
            {
                return "the credential lacks access to this repository; check its scopes or permissions";
            }

            return sentCredential
                ? "the registry refused the credential; check the username and the password or token"
                : $"pass credentials with {CredentialFlags.Password(flagPrefix)} " +
                    $"(or {CredentialFlags.IdentityToken(flagPrefix)}), or run coffer login <registry>";
        }

        if (Has("MANIFEST_BLOB_UNKNOWN"))
        {
            return "the registry lacks a blob the manifest names; push the blobs first, or retry the push";
        }

        if (Has("DIGEST_INVALID"))
        {
            return "the uploaded content did not match its digest; the file may have changed during the upload";
        }

        if (status == HttpStatusCode.RequestEntityTooLarge)
        {
            return "the registry or a proxy in front of it limits request bodies: Coffer sends a blob over " +
                "512 MiB, or one refused whole, in 64 MiB chunks, so the limit must be above 64 MiB";
        }

        if (status == HttpStatusCode.NotFound
            && (Has("MANIFEST_UNKNOWN") || operation.StartsWith("pull", StringComparison.Ordinal)))
        {
            return "check the repository name and the tag or digest; a tag must be pushed before it can be pulled";
        }

        if (Has("NAME_UNKNOWN"))
        {
            return "check the repository name";
        }

        return null;
    }

    private static async Task<(IReadOnlyList<RegistryError> Errors, string Body)> ReadErrorsAsync(
        HttpResponseMessage response, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var total = 0;

        // An error body that stalls is read no longer than any other answer is waited for.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            int read;
            while (total < buffer.Length
                && (read = await stream.ReadAsync(buffer.AsMemory(total), deadline.Token).ConfigureAwait(false)) > 0)
            {
                total += read;
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return ([], "");
        }

        var text = System.Text.Encoding.UTF8.GetString(buffer, 0, total);
        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, total));
            if (!document.RootElement.TryGetProperty("errors", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return ([], text);
            }

            var errors = new List<RegistryError>();
            foreach (var item in list.EnumerateArray().Take(20))
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                errors.Add(new RegistryError
                {
                    Code = Text(item, "code"),
                    Message = Text(item, "message"),
                    Detail = item.TryGetProperty("detail", out var detail) ? Clip(detail.GetRawText()) : null,
                });
            }

            return (errors, text);
        }
        catch (JsonException)
        {
            return ([], text);
        }
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? Clip(value.GetString())
            : null;

    private static string? Clip(string? text) => text is null || text.Length <= 300 ? text : text[..300] + "...";

    private async Task WaitAsync(int attempt, RetryConditionHeaderValue? retryAfter, CancellationToken token)
    {
        var delay = _retry.Delay(attempt, retryAfter);
        _log.Write($"retry {attempt}/{_retry.MaxRetries} in {delay.TotalMilliseconds:0} ms");
        await Task.Delay(delay, token).ConfigureAwait(false);
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    internal static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && e is HttpRequestException or IOException or TaskCanceledException or TimeoutException;

    // A TLS handshake that failed fails the same way the next time.
    private static bool IsTlsFailure(Exception e) =>
        e is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }
        || e.InnerException is System.Security.Authentication.AuthenticationException;

    internal static string Describe(Exception e)
    {
        if (e is TaskCanceledException)
        {
            return "no answer in time (timed out)";
        }

        // The outer message of a socket or TLS failure only points at its inner exception.
        var innermost = e;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        var outer = e.Message.Replace(", see inner exception", "", StringComparison.Ordinal).TrimEnd('.');
        return ReferenceEquals(innermost, e) || outer.Contains(innermost.Message, StringComparison.Ordinal)
            ? outer
            : $"{outer}: {innermost.Message}";
    }
}
