using System.Threading.Channels;
using Hangfire;
using HubSpotOrchestrator.Storage;
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
            catch (Exception ex)
            {
                // The batches stay undispatched in the inbox; the sweeper re-dispatches them.
                logger.LogError(ex, "Could not enqueue routing for {EventCount} events; the inbox sweeper will retry them", events);
            }
        }
    }

    public static void Enqueue(IBackgroundJobClient jobs, IInboxStore inbox, IReadOnlyList<LeftBehindBatch> batches, TimeProvider clock)
    {
        var ids = batches.SelectMany(b => b.EventIds).ToArray();
        jobs.Enqueue<RoutingJob>(job => job.RouteAsync(ids, CancellationToken.None));
        inbox.MarkDispatched([.. batches.Select(b => b.BatchId)], clock.GetUtcNow().UtcDateTime);
    }
}
