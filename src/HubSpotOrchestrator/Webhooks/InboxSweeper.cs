using Hangfire;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Webhooks;

/// <summary>
/// Recurring job: dispatches batches that were stored but never dispatched (e.g. a crash between store and
/// enqueue) and the unrouted events of batches dispatched long ago (a lost or failed routing job).
/// </summary>
internal sealed class InboxSweeper(IInboxStore inbox, EventDispatcher dispatcher, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<InboxSweeper> logger)
{
    public const string RecurringJobId = "inbox-sweeper";

    [DisableConcurrentExecution(60)]
    [AutomaticRetry(Attempts = 0)]
    public Task<int> SweepAsync()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var o = options.Value;
        var due = inbox.FindLeftBehind(now - o.RedispatchAfter, now - o.StuckAfter, 10 * o.MaxEventsPerJob);
        dispatcher.EnqueueNow(due);

        var count = due.Sum(b => b.EventIds.Count);
        if (count > 0)
        {
            logger.LogWarning("Inbox sweeper re-dispatched {EventCount} events of {BatchCount} batches left behind", count, due.Count);
        }

        return Task.FromResult(count);
    }
}
