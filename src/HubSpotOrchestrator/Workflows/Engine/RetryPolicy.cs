namespace HubSpotOrchestrator.Workflows.Engine;

/// <summary>Exponential backoff with jitter, never sooner than the server's Retry-After.</summary>
public static class RetryPolicy
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Retry jitter only spreads retries out; nothing security-relevant depends on it.")]
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan? retryAfter, Random random)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, maxDelay.TotalMilliseconds);
        // "Equal jitter": half fixed, half random, so retries of many runs spread out but still back off.
        var jittered = (capped / 2) + (random.NextDouble() * capped / 2);
        var delay = TimeSpan.FromMilliseconds(jittered);
        return retryAfter is { } ra && ra > delay ? ra : delay;
    }
}
