using System.Threading.Channels;
using Hangfire;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Webhooks;

/// <summary>
/// Hands stored events to routing. The webhook request only writes its batch into this in-process queue; the
/// pump turns batches into Hangfire routing jobs in bulk. Anything lost here (a crash) is still in the inbox as
/// an undispatched batch, and the sweeper dispatches it again.
/// </summary>
internal sealed class EventDispatcher
{
    private readonly Channel<LeftBehindBatch> _queue = Channel.CreateUnbounded<LeftBehindBatch>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<LeftBehindBatch> Reader => _queue.Reader;

    public void Dispatch(string batchId, IReadOnlyList<string> inboxIds)
    {
        if (inboxIds.Count > 0)
        {
            _queue.Writer.TryWrite(new LeftBehindBatch(batchId, inboxIds));
        }
    }
}

internal sealed class DispatchPump(
    EventDispatcher dispatcher,
    IBackgroundJobClient jobs,
    IInboxStore inbox,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<DispatchPump> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batches = new List<LeftBehindBatch>();
        while (await dispatcher.Reader.WaitToReadAsync(stoppingToken))
        {
            batches.Clear();
            var events = 0;

            // Whole batches only, so a routing job can close the batches it routed.
            while (events < options.Value.MaxEventsPerJob && dispatcher.Reader.TryRead(out var batch))
            {
                batches.Add(batch);
                events += batch.EventIds.Count;
            }

            try
            {
                Enqueue(jobs, inbox, batches, clock);
            }
            #pragma warning disable CA1031 // the dispatch loop must outlive a failed enqueue; the inbox sweeper retries the batches
            catch (Exception ex)
            #pragma warning restore CA1031
            {
                // The batches stay undispatched in the inbox; the sweeper re-dispatches them.
                logger.LogError(ex, "Could not enqueue routing for {EventCount} events; the inbox sweeper will retry them", events);
            }
        }
    }

    public static void Enqueue(IBackgroundJobClient jobs, IInboxStore inbox, IReadOnlyList<LeftBehindBatch> batches, TimeProvider clock)
    {
        var ids = batches.SelectMany(b => b.EventIds).ToArray();
        jobs.Enqueue<IInboxRouter>(job => job.RouteAsync(ids, CancellationToken.None));
        inbox.MarkDispatched([.. batches.Select(b => b.BatchId)], clock.GetUtcNow().UtcDateTime);
    }
}

/// <summary>
/// Recurring job: dispatches batches that were stored but never dispatched (e.g. a crash between store and
/// enqueue) and the unrouted events of batches dispatched long ago (a lost or failed routing job).
/// </summary>
public sealed class InboxSweeper(IInboxStore inbox, IBackgroundJobClient jobs, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<InboxSweeper> logger)
{
    public const string RecurringJobId = "inbox-sweeper";

    [DisableConcurrentExecution(60)]
    [AutomaticRetry(Attempts = 0)]
    public Task<int> SweepAsync()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var o = options.Value;
        var due = inbox.FindLeftBehind(now - o.RedispatchAfter, now - o.StuckAfter, 10 * o.MaxEventsPerJob);
        var chunk = new List<LeftBehindBatch>();
        var inChunk = 0;
        foreach (var batch in due)
        {
            chunk.Add(batch);
            inChunk += batch.EventIds.Count;
            if (inChunk >= o.MaxEventsPerJob)
            {
                DispatchPump.Enqueue(jobs, inbox, chunk, clock);
                chunk.Clear();
                inChunk = 0;
            }
        }

        if (chunk.Count > 0)
        {
            DispatchPump.Enqueue(jobs, inbox, chunk, clock);
        }

        var count = due.Sum(b => b.EventIds.Count);
        if (count > 0)
        {
            logger.LogWarning("Inbox sweeper re-dispatched {EventCount} events of {BatchCount} batches left behind", count, due.Count);
        }

        return Task.FromResult(count);
    }
}
