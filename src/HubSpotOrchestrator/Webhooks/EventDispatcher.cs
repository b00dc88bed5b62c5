using Hangfire;
using Microsoft.Extensions.Options;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Webhooks;

/// <summary>
/// Hands stored events to routing. The webhook request only writes its batch into this in-process queue; the
/// pump turns batches into Hangfire routing jobs in bulk. Anything lost here (a crash) is still in the inbox as
/// an undispatched batch, and the sweeper dispatches it again.
/// </summary>
internal sealed class EventDispatcher(
    IBackgroundJobClient jobs,
    IInboxStore inbox,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<EventDispatcher> logger) : Shared.BatchingJobPump<LeftBehindBatch>(clock, logger)
{
    protected override int MaxBatchWeight => options.Value.MaxEventsPerJob;

    public void Dispatch(string batchId, IReadOnlyList<string> inboxIds)
    {
        if (inboxIds.Count > 0)
        {
            Post(new LeftBehindBatch(batchId, inboxIds));
        }
    }

    // Whole batches only, so a routing job can close the batches it routed.
    protected override int WeightOf(LeftBehindBatch item) => item.EventIds.Count;

    protected override void Enqueue(IReadOnlyList<LeftBehindBatch> batches)
    {
        var ids = batches.SelectMany(b => b.EventIds).ToArray();
        jobs.Enqueue<IInboxRouter>(job => job.RouteAsync(ids, CancellationToken.None));
        inbox.MarkDispatched([.. batches.Select(b => b.BatchId)], Clock.GetUtcNow().UtcDateTime);
    }

    // The batches stay undispatched in the inbox; the sweeper re-dispatches them.
    protected override void OnEnqueueFailed(Exception exception, IReadOnlyList<LeftBehindBatch> batch, int weight) =>
        Logger.LogError(exception, "Could not enqueue routing for {EventCount} events; the inbox sweeper will retry them", weight);
}
