using System.Collections.Concurrent;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HubSpotOrchestrator.Tests.Shared;

public sealed class BatchingJobPumpTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    /// <summary>Items are their own weight; "jobs" are recorded, or refused while <see cref="Failing"/>.</summary>
    private sealed class RecordingPump(int maxWeight, TimeProvider clock, ILogger? logger = null) : BatchingJobPump<int>(clock, logger ?? NullLogger.Instance)
    {
        public ConcurrentQueue<int[]> Jobs { get; } = new();

        public int Failures => Volatile.Read(ref _failures);

        public volatile bool Failing;

        private int _failures;

        protected override int MaxBatchWeight => maxWeight;

        protected override int WeightOf(int item) => item;

        protected override void Enqueue(IReadOnlyList<int> batch)
        {
            if (Failing)
            {
                Interlocked.Increment(ref _failures);
                throw new IOException("job store unavailable");
            }

            Jobs.Enqueue([.. batch]);
        }
    }

    private static int[] Enqueued(RecordingPump pump) => [.. pump.Jobs.SelectMany(j => j)];

    /// <summary>Polls while moving the fake clock on, so a pending backoff ends whenever the pump started it.</summary>
    private Task AdvancingUntilAsync(TimeSpan step, Func<bool> condition, string what) =>
        Eventually.TrueAsync(() =>
        {
            _clock.Advance(step);
            return condition();
        }, what);

    [Fact]
    public async Task QueuedItems_GoOutInWholeItemBatchesUpToTheMaxWeight()
    {
        using var pump = new RecordingPump(10, _clock);
        foreach (var item in new[] { 4, 4, 4, 4, 1, 9, 2 })
        {
            Assert.True(pump.Post(item));
        }

        await pump.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => Enqueued(pump).Length == 7, "every item enqueued");
        await pump.StopAsync(CancellationToken.None);

        // A batch closes at the first item that reaches the max; items are never split.
        Assert.Equal([[4, 4, 4], [4, 1, 9], [2]], pump.Jobs);
    }

    [Fact]
    public async Task ItemsPostedWhileRunning_AreAllEnqueuedOnce()
    {
        using var pump = new RecordingPump(50, TimeProvider.System);
        await pump.StartAsync(CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                pump.Post(1);
            }
        })));

        await Eventually.TrueAsync(() => Enqueued(pump).Length == 20_000, () => $"20000 items enqueued, got {Enqueued(pump).Length}");
        await pump.StopAsync(CancellationToken.None);
        Assert.All(pump.Jobs, job => Assert.InRange(job.Length, 1, 50));
    }

    [Fact]
    public async Task FailedEnqueue_LeavesTheBatchToTheSweeper_BacksOff_ThenCarriesOn()
    {
        using var pump = new RecordingPump(10, _clock) { Failing = true };
        await pump.StartAsync(CancellationToken.None);
        pump.Post(3);
        await Eventually.TrueAsync(() => pump.Failures == 1, "the first enqueue failed");
        pump.Failing = false;

        pump.Post(5);
        await Task.Delay(200);
        Assert.Empty(pump.Jobs);

        await AdvancingUntilAsync(BatchingJobPump<int>.FirstBackoff, () => pump.Jobs.Count == 1, "the next batch enqueued after the backoff");
        await pump.StopAsync(CancellationToken.None);
        Assert.Equal([5], Assert.Single(pump.Jobs));
    }

    [Fact]
    public async Task RepeatedFailures_LeaveWhatQueuedMeanwhileToTheSweeper_SoTheQueueCannotGrowUnbounded()
    {
        var log = new ListLogger();
        using var pump = new RecordingPump(2, _clock, log) { Failing = true };
        await pump.StartAsync(CancellationToken.None);
        pump.Post(1);
        await Eventually.TrueAsync(() => pump.Failures == 1, "first failure");

        for (var i = 0; i < 10; i++)
        {
            pump.Post(1);
        }

        await AdvancingUntilAsync(BatchingJobPump<int>.Backoff(1), () => pump.Failures == 2, "second failure");
        await Eventually.TrueAsync(() => log.Messages.Any(m => m.Contains("8 queued items are left to the sweeper", StringComparison.Ordinal)), "the queue dropped");

        pump.Failing = false;
        pump.Post(2);
        await AdvancingUntilAsync(BatchingJobPump<int>.Backoff(2), () => !pump.Jobs.IsEmpty, "enqueues again once the store is back");
        await pump.StopAsync(CancellationToken.None);

        // The second failed batch took two items; the other eight queued behind it were dropped.
        Assert.Equal([2], Enqueued(pump));
    }

    [Fact]
    public async Task Stop_EnqueuesWhatIsQueued_AndRefusesNewItems()
    {
        using var pump = new RecordingPump(3, _clock) { Failing = true };
        await pump.StartAsync(CancellationToken.None);
        pump.Post(1);
        await Eventually.TrueAsync(() => pump.Failures == 1, "the pump is backing off");
        pump.Failing = false;
        foreach (var item in new[] { 1, 1, 1, 2, 2 })
        {
            pump.Post(item);
        }

        await pump.StopAsync(CancellationToken.None);

        Assert.Equal([[1, 1, 1], [2, 2]], pump.Jobs);
        Assert.False(pump.Post(1));
    }

    [Fact]
    public void EnqueueNow_BatchesLikeThePump_AndThrowsWhenTheStoreFails()
    {
        using var pump = new RecordingPump(10, _clock);
        pump.EnqueueNow([4, 4, 4, 4, 1, 9, 2]);
        Assert.Equal([[4, 4, 4], [4, 1, 9], [2]], pump.Jobs);

        pump.Failing = true;
        Assert.Throws<IOException>(() => pump.EnqueueNow([1]));
    }

    [Fact]
    public void Backoff_DoublesFrom100Milliseconds_UpTo5Seconds()
    {
        Assert.Equal(
            [100, 200, 400, 800, 1600, 3200, 5000, 5000],
            Enumerable.Range(1, 8).Select(n => BatchingJobPump<int>.Backoff(n).TotalMilliseconds));
        Assert.Equal(BatchingJobPump<int>.MaxBackoff, BatchingJobPump<int>.Backoff(1_000));
    }

    private sealed class ListLogger : ILogger
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));
    }
}
