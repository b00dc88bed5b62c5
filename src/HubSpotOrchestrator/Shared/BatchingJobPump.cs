using System.Threading.Channels;

namespace HubSpotOrchestrator.Shared;

/// <summary>
/// An in-process queue in front of a job store that is slow per job (Hangfire on SQLite manages about a hundred
/// jobs a second): callers <see cref="Post"/> items without waiting, and the pump hands them on in batches, one job
/// per batch. The queue is only the fast path: every item is already durable in its own store, and a sweeper
/// (<see cref="PeriodicSweep"/>) re-enqueues what this queue lost (a crash) or failed to enqueue.
/// </summary>
/// <remarks>
/// <see cref="Post"/> never waits and allocates nothing of its own: it is called on every webhook request.
/// A failed enqueue leaves its batch to the sweeper and backs off (doubling up to <see cref="MaxBackoff"/>), so a
/// failing job store is not hammered; if it fails again, what queued up meanwhile is left to the sweeper too, so an
/// outage cannot grow the queue without bound. On stop the pump enqueues what is already queued.
/// </remarks>
internal abstract class BatchingJobPump<T> : BackgroundService
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });

    protected BatchingJobPump(TimeProvider clock, ILogger logger)
    {
        Clock = clock;
        Logger = logger;
    }

    protected TimeProvider Clock { get; }

    protected ILogger Logger { get; }

    /// <summary>Most weight (see <see cref="WeightOf"/>) per batch; a batch closes at the first item that reaches it.</summary>
    protected abstract int MaxBatchWeight { get; }

    /// <summary>Hands an item to the pump. False only once the pump has stopped (the sweeper will find the item).</summary>
    public bool Post(T item) => _queue.Writer.TryWrite(item);

    /// <summary>
    /// Enqueues <paramref name="items"/> now, on the caller's thread, batched as the pump batches; throws if the job
    /// store does. For sweepers, which should fail visibly (they log it and try again at their next pass).
    /// </summary>
    public void EnqueueNow(IEnumerable<T> items)
    {
        var batch = new List<T>();
        var weight = 0;
        foreach (var item in items)
        {
            batch.Add(item);
            weight += WeightOf(item);
            if (weight >= MaxBatchWeight)
            {
                Enqueue(batch);
                batch.Clear();
                weight = 0;
            }
        }

        if (batch.Count > 0)
        {
            Enqueue(batch);
        }
    }

    /// <summary>How much of a batch an item takes (e.g. its events); 1 by default.</summary>
    protected virtual int WeightOf(T item) => 1;

    /// <summary>Enqueues one job for <paramref name="batch"/>. The list is reused afterwards: copy what the job keeps.</summary>
    protected abstract void Enqueue(IReadOnlyList<T> batch);

    /// <summary>Logs a failed enqueue; the batch is left to the sweeper.</summary>
    protected virtual void OnEnqueueFailed(Exception exception, IReadOnlyList<T> batch, int weight) =>
        Logger.LogError(exception, "{Pump} could not enqueue a batch of {ItemCount} items; the sweeper will pick them up", GetType().Name, batch.Count);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<T>();
        var failures = 0;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                if (TryEnqueueNext(batch))
                {
                    failures = 0;
                    continue;
                }

                if (++failures > 1)
                {
                    DropQueued();
                }

                await Task.Delay(Backoff(failures), Clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Stopping: nothing new is taken; what is queued is enqueued now rather than left for the sweeper.
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryPeek(out _) && TryEnqueueNext(batch))
        {
        }
    }

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row: doubling from <see cref="FirstBackoff"/>, at most <see cref="MaxBackoff"/>.</summary>
    internal static TimeSpan Backoff(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Clamp(failures - 1, 0, 16)));

    /// <summary>Takes whole items up to <see cref="MaxBatchWeight"/> and enqueues them; false if the enqueue failed.</summary>
    private bool TryEnqueueNext(List<T> batch)
    {
        batch.Clear();
        var weight = 0;
        var max = MaxBatchWeight;
        while (weight < max && _queue.Reader.TryRead(out var item))
        {
            batch.Add(item);
            weight += WeightOf(item);
        }

        if (batch.Count == 0)
        {
            return true;
        }

        try
        {
            Enqueue(batch);
            return true;
        }
        #pragma warning disable CA1031 // the pump must outlive a failed enqueue; the sweeper picks the batch up
        catch (Exception ex)
        #pragma warning restore CA1031
        {
            OnEnqueueFailed(ex, batch, weight);
            return false;
        }
    }

    private void DropQueued()
    {
        var dropped = 0;
        while (_queue.Reader.TryRead(out _))
        {
            dropped++;
        }

        if (dropped > 0)
        {
            Logger.LogWarning("{Pump}: the job store keeps failing; {ItemCount} queued items are left to the sweeper", GetType().Name, dropped);
        }
    }
}
