using System.Net;
using System.Net.Http.Headers;

namespace Coffer.Http;

/// <summary>
/// Bounded retries with exponential backoff for throttling, gateway errors and dropped
/// connections. <c>Retry-After</c> is honoured up to <see cref="MaxDelay"/>.
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>How many times a request is retried after the first attempt.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The first backoff delay.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest single wait, whatever <c>Retry-After</c> asks.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>After this long since its first attempt, a request is not tried again.</summary>
    public TimeSpan MaxTotalDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>True for statuses worth retrying: 429, 502, 503 and 504.</summary>
    public static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The delay before retry number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan Delay(int attempt, RetryConditionHeaderValue? retryAfter)
    {
        TimeSpan delay;
        if (retryAfter?.Delta is { } delta)
        {
            delay = delta;
        }
        else if (retryAfter?.Date is { } date)
        {
            delay = date - DateTimeOffset.UtcNow;
        }
        else
        {
            var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
            var jitter = 1 + ((Random.Shared.NextDouble() - 0.5) * 0.2);
            delay = TimeSpan.FromMilliseconds(exponential * jitter);
        }

        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }

        return delay > MaxDelay ? MaxDelay : delay;
    }
}
