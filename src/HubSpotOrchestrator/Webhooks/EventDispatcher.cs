using System.Threading.Channels;
using Hangfire;
using HubSpotOrchestrator.Storage;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Webhooks;

/// <summary>
/// Hands stored events to routing. The webhook request only writes ids into this in-process queue; the pump
/// turns them into Hangfire routing jobs in bulk. Anything lost here (a crash) is still in the inbox as
/// Received, and the sweeper dispatches it again.
/// </summary>
internal sealed class EventDispatcher
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<string> Reader => _queue.Reader;

    public void Dispatch(IReadOnlyList<string> inboxIds)
    {
        foreach (var id in inboxIds)
        {
            _queue.Writer.TryWrite(id);
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
        var batch = new List<string>(options.Value.MaxEventsPerJob);
        while (await dispatcher.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < options.Value.MaxEventsPerJob && dispatcher.Reader.TryRead(out var id))
            {
                batch.Add(id);
            }

            try
            {
                Enqueue(jobs, inbox, batch, clock);
            }
            catch (Exception ex)
            {
                // The events stay Received in the inbox; the sweeper re-dispatches them.
                logger.LogError(ex, "Could not enqueue routing for {EventCount} events; the inbox sweeper will retry them", batch.Count);
            }
        }
    }

    public static void Enqueue(IBackgroundJobClient jobs, IInboxStore inbox, IReadOnlyList<string> ids, TimeProvider clock)
    {
        var copy = ids.ToArray();
        jobs.Enqueue<RoutingJob>(job => job.RouteAsync(copy, CancellationToken.None));
        inbox.MarkDispatched(copy, clock.GetUtcNow().UtcDateTime);
    }
}

/// <summary>Recurring job: dispatches inbox events that were stored but never routed (e.g. a crash between store and enqueue).</summary>
public sealed class InboxSweeper(IInboxStore inbox, IBackgroundJobClient jobs, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<InboxSweeper> logger)
{
    public const string RecurringJobId = "inbox-sweeper";

    [DisableConcurrentExecution(60)]
    [AutomaticRetry(Attempts = 0)]
    public Task<int> SweepAsync()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var o = options.Value;
        var ids = inbox.FindUnrouted(now - o.RedispatchAfter, now - o.StuckAfter, 10 * o.MaxEventsPerJob);
        foreach (var chunk in ids.Chunk(o.MaxEventsPerJob))
        {
            DispatchPump.Enqueue(jobs, inbox, chunk, clock);
        }

        if (ids.Count > 0)
        {
            logger.LogWarning("Inbox sweeper re-dispatched {EventCount} events left behind", ids.Count);
        }

        return Task.FromResult(ids.Count);
    }
}
