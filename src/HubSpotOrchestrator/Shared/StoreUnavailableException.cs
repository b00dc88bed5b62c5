namespace HubSpotOrchestrator.Shared;

/// <summary>
/// The store cannot take work right now (disk full, file read-only or locked, the service stopping). Nothing of the
/// failed operation was kept; the caller may retry after <see cref="RetryAfter"/>. HTTP answers it with 503 and
/// <c>Retry-After</c>, so a sender (HubSpot, Slack, Teams) redelivers instead of losing the request.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(string message, Exception? inner, TimeSpan? retryAfter)
        : base(message, inner)
    {
        RetryAfter = retryAfter ?? TimeSpan.FromSeconds(5);
    }

    public StoreUnavailableException()
        : this("The store is unavailable.")
    {
    }

    public StoreUnavailableException(string message)
        : this(message, null, null)
    {
    }

    public StoreUnavailableException(string message, Exception inner)
        : this(message, inner, null)
    {
    }

    public TimeSpan RetryAfter { get; }

    /// <summary>The <see cref="StoreUnavailableException"/> in <paramref name="ex"/>'s chain (aggregates included), if any.</summary>
    public static StoreUnavailableException? Find(Exception? ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is StoreUnavailableException found)
            {
                return found;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Select(Find).FirstOrDefault(f => f is not null) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }
}
