namespace HubSpotOrchestrator.Shared;

/// <summary>
/// Exponential backoff with "equal jitter": attempt n waits between half and all of min(base · 2^(n-1), max), so
/// retries from many callers spread out but still back off; never sooner than the server's Retry-After.
/// The one backoff for every retry loop (HubSpot, Teams, Slack, the run engine).
/// </summary>
public static class Backoff
{
    /// <param name="attempt">The attempt that just failed, 1-based (values below 1 count as 1).</param>
    /// <param name="baseDelay">The wait after the first failure before jitter.</param>
    /// <param name="maxDelay">The cap of the exponential part (a longer <paramref name="retryAfter"/> still wins); <see cref="TimeSpan.MaxValue"/> for none.</param>
    /// <param name="retryAfter">The server's Retry-After, if it sent one (see <see cref="RetryAfter"/>).</param>
    /// <param name="random">The jitter source; <see cref="Random.Shared"/> when null.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Retry jitter only spreads retries out; nothing security-relevant depends on it.")]
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan? retryAfter = null, Random? random = null)
    {
        if (baseDelay < TimeSpan.Zero || maxDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(baseDelay < TimeSpan.Zero ? nameof(baseDelay) : nameof(maxDelay), "Delays cannot be negative.");
        }

        // 2^(n-1) stops mattering long before it overflows: cap the exponent, then the product.
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 62));
        var capped = Math.Min(exponential, maxDelay.TotalMilliseconds);
        var ticks = ((capped / 2) + ((random ?? Random.Shared).NextDouble() * capped / 2)) * TimeSpan.TicksPerMillisecond;
        var jittered = ticks >= long.MaxValue ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
        return retryAfter is { } wait && wait > jittered ? wait : jittered;
    }
}
