using Hangfire;
using Microsoft.Extensions.Options;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Workflows.Engine;

/// <summary>
/// Starting a run hands its id to this in-process queue; the pump enqueues one Hangfire job per batch of ids, because
/// Hangfire on SQLite manages about a hundred jobs a second here, far fewer than runs can execute. A run whose id is
/// lost (a crash before the enqueue) is still Pending in the store, and the run sweeper starts it again.
/// </summary>
internal sealed class RunDispatcher(IBackgroundJobClient jobs, IOptions<WorkflowOptions> options, TimeProvider clock, ILogger<RunDispatcher> logger)
    : Shared.BatchingJobPump<string>(clock, logger)
{
    protected override int MaxBatchWeight => options.Value.RunsPerJob;

    protected override void Enqueue(IReadOnlyList<string> runIds)
    {
        var ids = runIds.Distinct(StringComparer.Ordinal).ToArray();
        jobs.Enqueue<RunExecutor>(x => x.ExecuteManyAsync(ids, CancellationToken.None));
    }

    protected override void OnEnqueueFailed(Exception exception, IReadOnlyList<string> batch, int weight) =>
        Logger.LogError(exception, "Could not enqueue {RunCount} runs; the run sweeper will start them", batch.Distinct(StringComparer.Ordinal).Count());
}
