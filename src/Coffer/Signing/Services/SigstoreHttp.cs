using System.Net;
using System.Text;
using Coffer.Diagnostics;
using Coffer.Http;

namespace Coffer.Signing.Services;

/// <summary>
/// Sends requests to Sigstore services with bounded retries on 429, 5xx and dropped connections,
/// the Coffer <c>User-Agent</c>, and a debug trace of method, redacted URL and status only (never
/// headers or bodies, which carry identity tokens and certificates).
/// </summary>
internal sealed class SigstoreHttp
{
    private const int MaxErrorText = 300;

    private readonly HttpClient _http;
    private readonly DebugLog _log;

    public SigstoreHttp(HttpClient http, DebugLog? log)
    {
        _http = http;
        _log = log ?? new DebugLog(new Redactor(), null);
    }

    public Redactor Redactor => _log.Redactor;

    public RetryPolicy Retry { get; init; } = new()
    {
        MaxRetries = 3,
        BaseDelay = TimeSpan.FromMilliseconds(200),
        MaxDelay = TimeSpan.FromSeconds(5),
    };

    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Creates the client Coffer uses for Sigstore services when the caller gives none.</summary>
    public static HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            // Nothing in these protocols redirects; a redirect would carry the bearer token along.
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        if (SystemTrust.IsOwned)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                SystemTrust.Validate(certificate, chain, errors, extraRoots: null);
        }

        var http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent.Value);
        return http;
    }

    /// <summary>True for answers worth another attempt: 429 and 5xx other than 501 and 505.</summary>
    public static bool IsRetryable(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests
        || ((int)status >= 500 && status is not HttpStatusCode.NotImplemented
            and not HttpStatusCode.HttpVersionNotSupported);

    /// <summary>
    /// Sends a request built fresh for every attempt and returns the final response, which the
    /// caller disposes. Retryable statuses are returned only once the retries are used up.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        string service,
        Func<HttpRequestMessage> createRequest,
        CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            using var request = createRequest();
            if (request.Headers.UserAgent.Count == 0 && _http.DefaultRequestHeaders.UserAgent.Count == 0)
            {
                request.Headers.UserAgent.ParseAdd(UserAgent.Value);
            }

            var target = $"{request.Method} {_log.Redactor.Url(request.RequestUri)}";
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(AttemptTimeout);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException
                || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                _log.Write($"{service}: {target} failed: {e.Message}");
                if (attempt > Retry.MaxRetries)
                {
                    throw new SigstoreServiceException(
                        service,
                        null,
                        _log.Redactor.Scrub($"{service} at {_log.Redactor.Url(request.RequestUri)} "
                            + $"could not be reached: {e.Message}"),
                        "Check the service URL and the network, or pass another URL.");
                }

                waited += await WaitAsync(attempt, null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            _log.Write($"{service}: {target} -> {(int)response.StatusCode}");
            if (!IsRetryable(response.StatusCode) || attempt > Retry.MaxRetries || waited >= Retry.MaxTotalDelay)
            {
                return response;
            }

            var retryAfter = response.Headers.RetryAfter;
            response.Dispose();
            waited += await WaitAsync(attempt, retryAfter, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a short, secret-free rendering of an error answer's body.</summary>
    public async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var text = new StringBuilder();
        foreach (var c in body)
        {
            if (text.Length >= MaxErrorText)
            {
                text.Append('…');
                break;
            }

            text.Append(char.IsControl(c) ? ' ' : c);
        }

        return _log.Redactor.Scrub(text.ToString().Trim());
    }

    /// <summary>Builds the exception for an unexpected status.</summary>
    public async Task<SigstoreServiceException> FailureAsync(
        string service,
        HttpResponseMessage response,
        string action,
        string? hint,
        CancellationToken cancellationToken)
    {
        var detail = await ErrorTextAsync(response, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var message = $"{service} {action} failed: HTTP {status} {response.ReasonPhrase}"
            + (detail.Length == 0 ? "" : $": {detail}");
        return new SigstoreServiceException(service, response.StatusCode, _log.Redactor.Scrub(message), hint);
    }

    private async Task<TimeSpan> WaitAsync(
        int attempt,
        System.Net.Http.Headers.RetryConditionHeaderValue? retryAfter,
        CancellationToken cancellationToken)
    {
        var delay = Retry.Delay(attempt, retryAfter);
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        return delay;
    }
}
