namespace HubSpotOrchestrator.Integrations.HubSpot;

/// <summary>
/// Allows at most <c>limit</c> acquisitions in any window of <c>window</c> length (a sliding log), so a burst never
/// exceeds HubSpot's "N per 10 s" even across window boundaries. Waiters queue in order; time comes from the
/// injected <see cref="TimeProvider"/> so tests run on a fake clock.
/// </summary>
internal sealed class SlidingWindowLimiter : IDisposable
{
    private readonly int _limit;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly Queue<long> _grants;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _granted;
    private volatile bool _waitingForTime;

    public SlidingWindowLimiter(int limit, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _limit = limit;
        _window = window;
        _time = time;
        _grants = new Queue<long>(limit);
    }

    /// <summary>How many permits were handed out so far (for tests and diagnostics).</summary>
    public long Granted => Interlocked.Read(ref _granted);

    /// <summary>True while the head of the queue sleeps until a permit frees up (lets tests move a fake clock only then).</summary>
    public bool IsWaitingForTime => _waitingForTime;

    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var now = _time.GetUtcNow().UtcTicks;
                while (_grants.Count > 0 && _grants.Peek() + _window.Ticks <= now)
                {
                    _grants.Dequeue();
                }

                if (_grants.Count < _limit)
                {
                    _grants.Enqueue(now);
                    Interlocked.Increment(ref _granted);
                    return;
                }

                var wait = TimeSpan.FromTicks(_grants.Peek() + _window.Ticks - now);
                _waitingForTime = true;
                try
                {
                    await Task.Delay(wait, _time, cancellationToken);
                }
                finally
                {
                    _waitingForTime = false;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}

/// <summary>The limiters shared by every HubSpot caller in the process: the general burst limit and the search limit.</summary>
internal sealed class HubSpotRateLimiters(HubSpotCrmOptions options, TimeProvider time) : IDisposable
{
    public SlidingWindowLimiter General { get; } = new(options.RequestsPer10Seconds, TimeSpan.FromSeconds(10), time);

    public SlidingWindowLimiter Search { get; } = new(options.SearchRequestsPerSecond, TimeSpan.FromSeconds(1), time);

    /// <summary>The DI container that created this singleton disposes it on shutdown.</summary>
    public void Dispose()
    {
        General.Dispose();
        Search.Dispose();
    }
}
