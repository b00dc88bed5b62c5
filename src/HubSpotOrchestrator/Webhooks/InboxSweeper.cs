using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Webhooks;

/// <summary>
/// Dispatches again the requests (inbox batches) whose routing was lost. At start (<see cref="Recover"/>): every batch
/// not fully routed, whatever its age — the previous process's in-process queue is gone and its routing jobs may be
/// orphaned. Then every <see cref="WebhookOptions.SweepInterval"/>: batches stored but not dispatched for
/// <see cref="WebhookOptions.RedispatchAfter"/> (a failed enqueue) and the unrouted events of batches dispatched more
/// than <see cref="WebhookOptions.StuckAfter"/> ago (a lost or failing routing job).
/// </summary>
/// <remarks>
/// Dispatching a batch twice is safe: the routing job skips events already Routed or Ignored, its commit checks that
/// again inside the transaction, and run ids derive from (event, workflow). The wait before a batch counts as stuck
/// doubles with each re-dispatch of it (at most 32 × StuckAfter), so a batch whose routing keeps failing is not
/// enqueued again every half minute while Hangfire still retries the earlier jobs.
/// </remarks>
internal sealed class InboxSweeper(IInboxStore inbox, EventDispatcher dispatcher, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<InboxSweeper> logger)
    : Shared.PeriodicSweep(clock, logger)
{
    /// <summary>The Hangfire recurring job that swept before the sweep ran in-process; removed at start.</summary>
    public const string LegacyRecurringJobId = "inbox-sweeper";

    private const int MaxBackoffDoublings = 5;

    protected override TimeSpan Interval => options.Value.SweepInterval;

    public override int Recover()
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var due = inbox.FindLeftBehind(now, now, int.MaxValue);
        dispatcher.EnqueueNow(due);
        var count = due.Sum(b => b.EventIds.Count);
        if (count > 0)
        {
            Logger.LogWarning("At start the inbox sweeper dispatched {EventCount} unrouted events of {BatchCount} requests left in flight", count, due.Count);
        }

        return count;
    }

    public override Task<int> SweepAsync()
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var o = options.Value;
        var due = inbox.FindLeftBehind(now - o.RedispatchAfter, now - o.StuckAfter, 10 * o.MaxEventsPerJob)
            .Where(b => IsDue(b, now, o.StuckAfter))
            .ToList();
        dispatcher.EnqueueNow(due);

        var count = due.Sum(b => b.EventIds.Count);
        if (count > 0)
        {
            Logger.LogWarning("Inbox sweeper re-dispatched {EventCount} events of {BatchCount} batches left behind", count, due.Count);
        }

        return Task.FromResult(count);
    }

    /// <summary>Never dispatched (the store applied RedispatchAfter), or dispatched longer ago than StuckAfter doubled per earlier re-dispatch.</summary>
    private bool IsDue(LeftBehindBatch batch, DateTime now, TimeSpan stuckAfter)
    {
        // Every event carries its batch's dispatch state.
        if (inbox.Find(batch.EventIds[0]) is not { DispatchedAt: { } dispatchedAt } e)
        {
            return true;
        }

        var doublings = Math.Clamp(e.DispatchCount - 1, 0, MaxBackoffDoublings);
        return dispatchedAt <= now - stuckAfter * (1 << doublings);
    }
}
