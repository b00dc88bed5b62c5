using System.Collections.Concurrent;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>
/// A sliding-window limit per key (conversation, channel): at most <c>permits</c> starts in any <c>window</c>.
/// Waits use the injected <see cref="TimeProvider"/> so tests drive them with a fake clock.
/// Shared by the Teams and Slack clients.
/// </summary>
internal sealed class KeyedPacer(int permits, TimeSpan window, TimeProvider timeProvider)
{
    private const int PruneThreshold = 1024;
    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);

    public async Task WaitAsync(string key, CancellationToken cancellationToken)
    {
        if (_lanes.Count > PruneThreshold)
        {
            Prune();
        }

        var lane = _lanes.GetOrAdd(key, _ => new Lane());
        await lane.Gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var now = timeProvider.GetUtcNow();
                while (lane.Starts.Count > 0 && lane.Starts.Peek() + window <= now)
                {
                    lane.Starts.Dequeue();
                }

                if (lane.Starts.Count < permits)
                {
                    lane.Starts.Enqueue(now);
                    return;
                }

                await Task.Delay(lane.Starts.Peek() + window - now, timeProvider, cancellationToken);
            }
        }
        finally
        {
            lane.Gate.Release();
        }
    }

    private void Prune()
    {
        var cutoff = timeProvider.GetUtcNow() - window;
        foreach (var (key, lane) in _lanes)
        {
            if (lane.Gate.CurrentCount == 1 && (lane.Starts.Count == 0 || lane.Starts.Last() <= cutoff))
            {
                _lanes.TryRemove(key, out _);
            }
        }
    }

    private sealed class Lane
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public Queue<DateTimeOffset> Starts { get; } = new();
    }
}
