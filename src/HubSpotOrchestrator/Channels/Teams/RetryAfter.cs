using System.Net.Http.Headers;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>Reads a <c>Retry-After</c> header (delta seconds or an HTTP date). Shared by the Teams and Slack clients.</summary>
internal static class RetryAfter
{
    public static TimeSpan? Read(HttpResponseHeaders headers, TimeProvider timeProvider)
    {
        var value = headers.RetryAfter;
        if (value?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (value?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>Exponential backoff with up to 20 % jitter: 1 s, 2 s, 4 s, …</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Retry jitter only spreads retries out; nothing security-relevant depends on it.")]
    public static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Pow(2, attempt - 1) * (1 + (Random.Shared.NextDouble() * 0.2)));
}
